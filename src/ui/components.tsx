/** Building blocks shared by console pages. */
import type { Child } from "hono/jsx";

export interface Crumb {
  label: string;
  href?: string;
}

/** The last crumb is the current page. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <nav class="breadcrumbs" aria-label="Breadcrumb">
      <ol>
        {items.map((item, i) =>
          i === items.length - 1 ? (
            <li aria-current="page">{item.label}</li>
          ) : (
            <li>{item.href ? <a href={item.href}>{item.label}</a> : item.label}</li>
          ),
        )}
      </ol>
    </nav>
  );
}

/** A field's hint; its id (`<field id>-hint`) is what the field's aria-describedby names. */
function Hint({ fieldId, text }: { fieldId: string; text?: string }) {
  return text ? (
    <p class="hint" id={`${fieldId}-hint`}>
      {text}
    </p>
  ) : null;
}

/** The end of a form: where its failure is shown, and its submit button. */
export function FormSubmit({ errorId, label }: { errorId: string; label: string }) {
  return (
    <>
      <Notice id={errorId} kind="error" />
      <button type="submit" class="primary">
        {label}
      </button>
    </>
  );
}

/** A read-only value with a Copy button; console.js wires every `[data-copy]` button. */
export function CopyField({ id, label, value = "", hint }: { id: string; label: string; value?: string; hint?: string }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <div class="copy-row">
        <input
          type="text"
          id={id}
          value={value}
          readonly
          spellcheck={false}
          autocomplete="off"
          aria-describedby={hint ? `${id}-hint` : undefined}
        />
        <button type="button" data-copy={id} data-copy-label={label}>
          Copy<span class="visually-hidden"> {label}</span>
        </button>
      </div>
      <Hint fieldId={id} text={hint} />
    </div>
  );
}

/**
 * A credential shown once, right after it is made (hidden until a script fills its fields and shows
 * it): its heading (`<id>-heading`, focused by the script), a warning, its CopyFields, and Done
 * (`<id>-done`), after which the script clears it.
 */
export function ShownOnce({ id, heading, warning, children }: { id: string; heading: string; warning: Child; children?: Child }) {
  return (
    <section id={id} class="new-token" aria-labelledby={`${id}-heading`} hidden>
      <h3 id={`${id}-heading`} tabindex={-1}>
        {heading}
      </h3>
      <p class="notice warning">{warning}</p>
      {children}
      <button type="button" id={`${id}-done`}>
        Done, I have copied it
      </button>
    </section>
  );
}

/** A labelled input with an optional hint, which becomes its description. */
export function TextField({
  id,
  label,
  hint,
  type = "text",
  ...input
}: {
  id: string;
  label: string;
  hint?: string;
  type?: "text" | "password" | "search";
  name: string;
  value?: string;
  required?: boolean;
  maxlength?: number;
  autocomplete?: string;
}) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input type={type} id={id} {...input} aria-describedby={hint ? `${id}-hint` : undefined} />
      <Hint fieldId={id} text={hint} />
    </div>
  );
}

/**
 * A table a page script fills from the admin API, with its error Notice. Below 48rem each row becomes
 * a card whose cells are labelled by their `data-label` (set by the script to the column's name).
 */
export function DataTable({ id, labelledBy, columns, class: className }: { id: string; labelledBy: string; columns: string[]; class?: string }) {
  return (
    <>
      <Notice id={`${id}-error`} kind="error" />
      {/* A table wider than its column scrolls sideways in its own box, never the page. */}
      <div class="table-scroll">
      <table class={className ? `responsive ${className}` : "responsive"} id={id} aria-labelledby={labelledBy}>
        <thead>
          <tr>
            {columns.map((column) => (
              <th scope="col">{column || <span class="visually-hidden">Actions</span>}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <td colspan={columns.length}>Loading…</td>
          </tr>
        </tbody>
      </table>
      </div>
    </>
  );
}

/**
 * Previous/Next for a list the admin API pages with cursors (console.js `cursorPager` drives it by
 * these ids), and the range shown between them.
 */
export function Pager({ id, label }: { id: string; label: string }) {
  return (
    <nav class="pager" id={id} aria-label={label}>
      <button type="button" id={`${id}-previous`} disabled>
        Previous page
      </button>
      <p class="pager-status" id={`${id}-status`}></p>
      <button type="button" id={`${id}-next`} disabled>
        Next page
      </button>
    </nav>
  );
}

/** A message area a script fills; hidden until then. `role="alert"` announces errors. */
export function Notice({ id, kind }: { id: string; kind: "error" | "success" }) {
  return <div id={id} class={`notice ${kind}`} role={kind === "error" ? "alert" : "status"} hidden></div>;
}

export function Section({ id, title, children }: { id: string; title: string; children?: Child }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

/** What every page's <head> starts with: encoding, a phone-sized viewport, and no Referer leaving the page. */
export function HeadBasics() {
  return (
    <>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <meta name="referrer" content="no-referrer" />
    </>
  );
}

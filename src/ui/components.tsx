/** Building blocks shared by console pages. */
import type { Child } from "hono/jsx";
import { consolePaths } from "./paths";

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
      {hint ? (
        <p class="hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
    </div>
  );
}

/** A message area a script fills; hidden until then. `role="alert"` announces errors. */
export function Notice({ id, kind }: { id: string; kind: "error" | "success" }) {
  return <div id={id} class={`notice ${kind}`} role={kind === "error" ? "alert" : "status"} hidden></div>;
}

export type OrgSection = "scim" | "log";

interface NavItem {
  section: OrgSection;
  label: string;
  href: (orgId: string) => string;
}

/**
 * The organization's navigation. Console part 2 adds a "Directory" group (Users, Groups) here; the
 * layout already has the sidebar they will live in.
 */
const ORG_NAV: { heading: string; items: NavItem[] }[] = [
  {
    heading: "Organization Settings",
    items: [{ section: "scim", label: "Authentication › SCIM Configuration", href: consolePaths.scimConfiguration }],
  },
  {
    heading: "Provisioning",
    items: [{ section: "log", label: "Provisioning log", href: consolePaths.provisioningLog }],
  },
];

export function OrgSidebar({ orgId, orgName, current }: { orgId: string; orgName: string; current: OrgSection }) {
  return (
    <nav class="sidenav" aria-label="Organization">
      <p class="sidenav-org">
        <span class="visually-hidden">Organization: </span>
        {orgName}
      </p>
      {ORG_NAV.map((group) => (
        <div class="sidenav-group">
          <h2>{group.heading}</h2>
          <ul>
            {group.items.map((item) => (
              <li>
                <a href={item.href(orgId)} aria-current={item.section === current ? "page" : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}

export function orgCrumbs(org: { id: string; name: string }, ...rest: Crumb[]): Crumb[] {
  return [{ label: "Organizations", href: consolePaths.home }, { label: org.name, href: consolePaths.org(org.id) }, ...rest];
}

export function Section({ id, title, children }: { id: string; title: string; children?: Child }) {
  return (
    <section class="card" aria-labelledby={id}>
      <h2 id={id}>{title}</h2>
      {children}
    </section>
  );
}

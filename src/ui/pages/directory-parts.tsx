/** What the directory pages share: the source-of-truth notice and the search form. */
import type { Child } from "hono/jsx";
import { TextField } from "../components";

/** What every directory page says first: it shows what the identity provider pushed, and changes none of it. */
export function SourceOfTruthNotice({ action }: { action?: string }) {
  return (
    <div class="notice info" role="note">
      <strong>Read-only: your identity provider is the source of truth.</strong> It creates, changes,
      deactivates and deletes these users, groups and memberships through SCIM; make changes there and they
      appear here with its next push. {action ?? "Nothing on this page changes the directory."}
    </div>
  );
}

/**
 * A search form (`q`, filled from the address bar by the server) with more fields as children;
 * directory.js `wireSearch` makes it reload the list instead of the page.
 */
export function DirectorySearch(props: { id: string; label: string; fieldId: string; hint: string; q: string; children?: Child }) {
  return (
    <form id={props.id} class="toolbar search" role="search" aria-label={props.label}>
      <TextField id={props.fieldId} name="q" type="search" label="Search" hint={props.hint} value={props.q} maxlength={200} autocomplete="off" />
      {props.children}
      <button type="submit" class="primary">
        Search
      </button>
    </form>
  );
}

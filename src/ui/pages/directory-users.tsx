/** Directory › Users: who the identity provider provisioned, their state and groups, and setup links. */
import { DataTable, Notice, Pager, Section, TextField } from "../components";
import type { PageSession } from "../layout";
import { OrgPage, type OrgView } from "../org-page";
import { SourceOfTruthNotice } from "./directory-notice";

export const USER_STATES = [
  { value: "", label: "All users" },
  { value: "active", label: "Active" },
  { value: "deactivated", label: "Deactivated" },
  { value: "pending", label: "Pending setup" },
] as const;

export interface UserSearch {
  q: string;
  state: string;
}

export function DirectoryUsersPage({ session, org, search }: { session: PageSession; org: OrgView; search: UserSearch }) {
  return (
    <OrgPage session={session} org={org} section="users" heading="Users" trail={["Directory"]} script={["directory.js", "directory-users.js"]}>
      <SourceOfTruthNotice action="The one action here is Copy setup link, which gives a person who has not finished setup a new link." />
      <Section id="users-heading" title="Provisioned users">
        <form id="user-search" class="toolbar search" role="search" aria-label="Users">
          <TextField
            id="user-q"
            name="q"
            type="search"
            label="Search"
            hint="Start of a userName or email address; not case-sensitive."
            value={search.q}
            maxlength={200}
            autocomplete="off"
          />
          <div class="field">
            <label for="user-state">Show</label>
            <select id="user-state" name="state">
              {USER_STATES.map((s) => (
                <option value={s.value} selected={s.value === search.state}>
                  {s.label}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="primary">
            Search
          </button>
        </form>
        <Notice id="setup-link-error" kind="error" />
        <section id="setup-link-result" class="issued" hidden tabindex={-1} aria-labelledby="setup-link-heading">
          <h3 id="setup-link-heading">New setup link</h3>
          <p id="setup-link-message"></p>
          <div class="field">
            <label for="setup-link-url">Setup link</label>
            <div class="copy-row">
              <input type="text" id="setup-link-url" readonly spellcheck={false} autocomplete="off" />
              <button type="button" data-copy="setup-link-url" data-copy-label="Setup link">
                Copy<span class="visually-hidden"> setup link</span>
              </button>
            </div>
          </div>
          <button type="button" id="setup-link-done">
            Done
          </button>
        </section>
        <DataTable
          id="users-table"
          class="directory"
          labelledBy="users-heading"
          columns={["User", "Status", "Setup", "Groups", "Created", ""]}
        />
        <Pager id="users-pager" label="Pages of users" />
      </Section>
    </OrgPage>
  );
}

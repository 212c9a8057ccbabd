/** Directory › Users: who the identity provider provisioned, their state and groups, and setup links. */
import { CopyField, DataTable, Notice, Pager, Section } from "../components";
import type { PageSession } from "../layout";
import { OrgPage, type OrgView } from "../org-page";
import { DirectorySearch, SourceOfTruthNotice } from "./directory-parts";
import { UserActionDialogs } from "./user-action-dialogs";

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
      <SourceOfTruthNotice action="The actions here are Issue new setup link, which gives a person who has not finished setup a new link, and Reset setup, which lets a person who finished setup start over with a new key." />
      <Section id="users-heading" title="Provisioned users">
        <DirectorySearch
          id="user-search"
          label="Users"
          fieldId="user-q"
          hint="Start of a userName or email address; not case-sensitive."
          q={search.q}
        >
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
        </DirectorySearch>
        <Notice id="setup-link-error" kind="error" />
        <section id="setup-link-result" class="issued" hidden tabindex={-1} aria-labelledby="setup-link-heading">
          <h3 id="setup-link-heading">New setup link</h3>
          <p id="setup-link-message"></p>
          <CopyField id="setup-link-url" label="Setup link" />
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
      <UserActionDialogs />
    </OrgPage>
  );
}

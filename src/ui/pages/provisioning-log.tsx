/** The provisioning log: what identity providers sent with this org's tokens, and what they were answered. */
import { DataTable, Section } from "../components";
import type { PageSession } from "../layout";
import { OrgPage, type OrgView } from "../org-page";
import { consolePaths } from "../paths";

export function ProvisioningLogPage({ session, org }: { session: PageSession; org: OrgView }) {
  return (
    <OrgPage session={session} org={org} section="log" heading="Provisioning log" script="provisioning-log.js">
      <p class="lead">
        Every SCIM request made with one of this organization's tokens — revoked and expired ones included — and what
        it was answered, newest first. Entries are kept for 7 days, at most 10,000. Request bodies and credentials are
        never recorded. Users and groups are shown by their current name, linking to the directory.
      </p>
      <Section id="log-heading" title="Requests">
        <form id="log-filter" class="toolbar">
          <div class="field inline">
            <label for="log-status">Status</label>
            <select id="log-status" name="status">
              <option value="">All</option>
              <option value="2xx">2xx success</option>
              <option value="4xx">4xx client errors</option>
              <option value="5xx">5xx server errors</option>
            </select>
          </div>
          <button type="button" id="log-refresh">
            Refresh
          </button>
          <div class="field inline">
            <input type="checkbox" id="log-auto" />
            <label for="log-auto">Refresh every 10 seconds</label>
          </div>
        </form>
        <p id="log-token-filter" class="notice info" hidden>
          Showing only the requests made with token <strong id="log-token-name"></strong>.{" "}
          <a id="log-token-clear" href="?">Show every token</a>
        </p>
        {/* Where a logged user or group links to: the directory's pages (the script adds the search or id). */}
        <div
          id="log-entries"
          data-users-url={consolePaths.directoryUsers(org.id)}
          data-groups-url={consolePaths.directoryGroups(org.id)}
        >
          <DataTable
            id="log-table"
            class="log"
            labelledBy="log-heading"
            columns={["Time", "Request", "Status", "Detail", "Identity provider", "Duration"]}
          />
        </div>
        <button type="button" id="log-more" hidden>
          Load older entries
        </button>
      </Section>
    </OrgPage>
  );
}

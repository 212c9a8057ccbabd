/** The provisioning log: what identity providers sent with this org's tokens, and what they were answered. */
import { Breadcrumbs, Notice, OrgSidebar, orgCrumbs, Section } from "../components";
import { Page, type PageSession } from "../layout";
import type { OrgView } from "./scim-configuration";

export function ProvisioningLogPage({ session, org }: { session: PageSession; org: OrgView }) {
  return (
    <Page
      title={`Provisioning log · ${org.name}`}
      session={session}
      scripts={["provisioning-log.js"]}
      data={{ orgId: org.id }}
      sidebar={<OrgSidebar orgId={org.id} orgName={org.name} current="log" />}
    >
      <Breadcrumbs items={orgCrumbs(org, { label: "Provisioning log" })} />
      <h1>Provisioning log</h1>
      <p class="lead">
        Every SCIM request made with one of this organization's tokens — revoked and expired ones included — and what
        it was answered, newest first. Entries are kept for 7 days, at most 10,000. Request bodies and credentials are
        never recorded.
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
        </form>
        <Notice id="log-error" kind="error" />
        <table class="responsive log" id="log-table" aria-labelledby="log-heading">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Request</th>
              <th scope="col">Status</th>
              <th scope="col">Detail</th>
              <th scope="col">Identity provider</th>
              <th scope="col">Duration</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td colspan={6}>Loading…</td>
            </tr>
          </tbody>
        </table>
        <button type="button" id="log-more" hidden>
          Load older entries
        </button>
      </Section>
    </Page>
  );
}

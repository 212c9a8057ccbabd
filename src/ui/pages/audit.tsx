/**
 * The audit trail: every admin write, newest first — for one organization (in its sidebar) or for
 * the whole service (top bar), the latter including console sign-ins and sign-outs.
 */
import { Breadcrumbs, DataTable, Section } from "../components";
import { Page, type PageSession } from "../layout";
import { OrgPage, type OrgView } from "../org-page";

function AuditSection({ withOrg }: { withOrg: boolean }) {
  return (
    <Section id="audit-heading" title="Changes">
      <DataTable
        id="audit-table"
        class="log"
        labelledBy="audit-heading"
        columns={["Time", "Action", ...(withOrg ? ["Organization"] : []), "Target", "By"]}
      />
      <button type="button" id="audit-more" hidden>
        Load older entries
      </button>
    </Section>
  );
}

const LEAD =
  "Every change made through the admin API or this console, newest first: what, to which target, and by which credential (a fingerprint of the operator token or of the console session, never the secret), from which IP and browser. Entries cannot be changed or removed, and are kept for at least a year.";

export function AuditPage({ session }: { session: PageSession }) {
  return (
    <Page title="Audit trail" session={session} scripts={["audit.js"]}>
      <Breadcrumbs items={[{ label: "Audit trail" }]} />
      <h1>Audit trail</h1>
      <p class="lead">{LEAD}</p>
      <AuditSection withOrg />
    </Page>
  );
}

export function OrgAuditPage({ session, org }: { session: PageSession; org: OrgView }) {
  return (
    <OrgPage session={session} org={org} section="audit" heading="Audit trail" script="audit.js">
      <p class="lead">{LEAD}</p>
      <AuditSection withOrg={false} />
    </OrgPage>
  );
}

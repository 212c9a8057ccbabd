import { Breadcrumbs, DataTable, FormSubmit, Section, TextField } from "../components";
import { Page, type PageSession } from "../layout";

export function OrgsPage({ session }: { session: PageSession }) {
  return (
    <Page title="Organizations" session={session} scripts={["orgs.js"]}>
      <Breadcrumbs items={[{ label: "Organizations" }]} />
      <h1>Organizations</h1>
      <Section id="create-org-heading" title="Create an organization">
        <form id="create-org-form">
          <TextField id="org-name" label="Name" name="name" required maxlength={200} autocomplete="organization" />
          <FormSubmit errorId="create-org-error" label="Create organization" />
        </form>
      </Section>
      <Section id="org-list-heading" title="All organizations">
        <DataTable id="org-table" labelledBy="org-list-heading" columns={["Name", "SCIM provisioning", "SCIM tokens", "Created"]} />
        <p class="hint" id="unknown-token-count"></p>
        <p class="hint" id="expiring-token-count"></p>
      </Section>
    </Page>
  );
}

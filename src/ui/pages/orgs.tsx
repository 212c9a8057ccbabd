import { Breadcrumbs, Notice, Section } from "../components";
import { Page, type PageSession } from "../layout";

export function OrgsPage({ session }: { session: PageSession }) {
  return (
    <Page title="Organizations" session={session} scripts={["orgs.js"]}>
      <Breadcrumbs items={[{ label: "Organizations" }]} />
      <h1>Organizations</h1>
      <Section id="create-org-heading" title="Create an organization">
        <form id="create-org-form">
          <div class="field">
            <label for="org-name">Name</label>
            <input type="text" id="org-name" name="name" required maxlength={200} autocomplete="organization" />
          </div>
          <Notice id="create-org-error" kind="error" />
          <button type="submit" class="primary">
            Create organization
          </button>
        </form>
      </Section>
      <Section id="org-list-heading" title="All organizations">
        <Notice id="org-list-error" kind="error" />
        <table class="responsive" id="org-table" aria-describedby="org-list-heading">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">SCIM provisioning</th>
              <th scope="col">Created</th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td colspan={3}>Loading…</td>
            </tr>
          </tbody>
        </table>
        <p class="hint" id="unknown-token-count"></p>
      </Section>
    </Page>
  );
}

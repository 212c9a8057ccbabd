/** Organization › Authentication › SCIM Configuration: the switch, the SCIM URL, and the tokens. */
import { Breadcrumbs, CopyField, Notice, OrgSidebar, orgCrumbs, Section } from "../components";
import { Page, type PageSession } from "../layout";

export interface OrgView {
  id: string;
  name: string;
  scimEnabled: boolean;
}

const LIFETIMES: [days: number, label: string][] = [
  [30, "30 days"],
  [90, "90 days"],
  [180, "180 days"],
  [365, "1 year"],
  [730, "2 years"],
  [0, "Never expires"],
];

export function ScimConfigurationPage({ session, org, scimUrl }: { session: PageSession; org: OrgView; scimUrl: string }) {
  return (
    <Page
      title={`SCIM Configuration · ${org.name}`}
      session={session}
      scripts={["scim-configuration.js"]}
      data={{ orgId: org.id }}
      sidebar={<OrgSidebar orgId={org.id} orgName={org.name} current="scim" />}
    >
      <Breadcrumbs
        items={orgCrumbs(org, { label: "Organization Settings" }, { label: "Authentication" }, { label: "SCIM Configuration" })}
      />
      <h1>SCIM Configuration</h1>

      <Section id="provisioning-heading" title="SCIM provisioning">
        <div class="switch">
          <input
            type="checkbox"
            role="switch"
            id="scim-enabled"
            checked={org.scimEnabled}
            aria-describedby="scim-state scim-enabled-hint"
          />
          <label for="scim-enabled">Enable SCIM provisioning</label>
          <span id="scim-state" class={org.scimEnabled ? "badge ok" : "badge muted"}>
            {org.scimEnabled ? "On" : "Off"}
          </span>
        </div>
        <p class="hint" id="scim-enabled-hint">
          While provisioning is off, identity providers are refused with 403 and nothing changes here.
        </p>
        <Notice id="scim-enabled-error" kind="error" />
        <CopyField
          id="scim-url"
          label="SCIM URL"
          value={scimUrl}
          hint="Paste it into your identity provider as the SCIM base URL (JumpCloud: Base URL)."
        />
      </Section>

      <Section id="tokens-heading" title="Manage SCIM Tokens">
        <form id="create-token-form">
          <div class="field">
            <label for="token-description">Description</label>
            <input
              type="text"
              id="token-description"
              name="description"
              required
              maxlength={200}
              autocomplete="off"
              aria-describedby="token-description-hint"
            />
            <p class="hint" id="token-description-hint">
              Name the identity provider you will paste it into, e.g. "JumpCloud"; the provisioning log shows it.
            </p>
          </div>
          <div class="field">
            <label for="token-lifetime">Lifetime</label>
            <select id="token-lifetime" name="ttlDays">
              {LIFETIMES.map(([days, label]) => (
                <option value={String(days)} selected={days === 365}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <Notice id="create-token-error" kind="error" />
          <button type="submit" class="primary">
            Create token
          </button>
        </form>

        <section id="new-token" class="new-token" aria-labelledby="new-token-heading" hidden>
          <h3 id="new-token-heading" tabindex={-1}>
            New SCIM Token
          </h3>
          <p class="notice warning">
            <strong>Copy the token now: you will not see it again.</strong> Only a hash of it is stored. If you lose it,
            create a new token and revoke this one.
          </p>
          <CopyField id="new-token-scim-url" label="SCIM URL" />
          <CopyField id="new-token-value" label="New SCIM Token" />
          <button type="button" id="new-token-done">
            Done, I have copied it
          </button>
        </section>

        <h3 id="token-list-heading">Tokens</h3>
        <Notice id="token-list-error" kind="error" />
        <table class="responsive" id="token-table" aria-labelledby="token-list-heading">
          <thead>
            <tr>
              <th scope="col">Description</th>
              <th scope="col">Prefix</th>
              <th scope="col">Created</th>
              <th scope="col">Expires</th>
              <th scope="col">Last used</th>
              <th scope="col">Status</th>
              <th scope="col">
                <span class="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <tr>
              <td colspan={7}>Loading…</td>
            </tr>
          </tbody>
        </table>
      </Section>

      <dialog id="revoke-dialog" aria-labelledby="revoke-title" aria-describedby="revoke-description">
        <form method="dialog">
          <h2 id="revoke-title">Revoke this token?</h2>
          <p id="revoke-description">
            Identity providers using <strong id="revoke-token-name"></strong> will be refused with 401. This cannot be
            undone.
          </p>
          <div class="actions">
            <button type="submit" value="cancel" autofocus>
              Cancel
            </button>
            <button type="submit" value="confirm" class="danger" id="revoke-confirm">
              Revoke token
            </button>
          </div>
        </form>
      </dialog>
    </Page>
  );
}

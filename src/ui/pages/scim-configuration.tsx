/** Organization › Authentication › SCIM Configuration: the switch, the SCIM URL, and the tokens. */
import { CopyField, DataTable, FormSubmit, Notice, Section, ShownOnce, TextField } from "../components";
import type { PageSession } from "../layout";
import { OrgPage, type OrgView } from "../org-page";
import { consolePaths } from "../paths";
import { ConnectProvider } from "./connect-provider";

/** How long a rotated token keeps working; the API allows 0–168 hours. */
const GRACE_PERIODS: [hours: number, label: string][] = [
  [0, "None: refuse it at once"],
  [1, "1 hour"],
  [24, "24 hours"],
  [72, "3 days"],
  [168, "7 days"],
];

const LIFETIMES: [days: number, label: string][] = [
  [30, "30 days"],
  [90, "90 days"],
  [180, "180 days"],
  [365, "1 year"],
  [730, "2 years"],
  [0, "Never expires"],
];

/** The switch's help text, for each state (the page's script swaps it when the switch changes). */
const SWITCH_HINT = {
  on: "Provisioning is on: identity providers with a valid token create, change and deactivate users and groups here. Turn it off to refuse them all with 403; tokens are kept.",
  off: "Provisioning is off: identity providers are refused with 403 and nothing changes here. Turn it on before testing the connection.",
};

/** `scimUrl` is null when the service cannot name its own origin (no PUBLIC_ORIGIN, non-loopback host). */
export function ScimConfigurationPage({ session, org, scimUrl }: { session: PageSession; org: OrgView; scimUrl: string | null }) {
  return (
    <OrgPage
      session={session}
      org={org}
      section="scim"
      heading="SCIM Configuration"
      trail={["Organization Settings", "Authentication"]}
      script="scim-configuration.js"
    >

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
        <p class="hint" id="scim-enabled-hint" data-on={SWITCH_HINT.on} data-off={SWITCH_HINT.off}>
          {org.scimEnabled ? SWITCH_HINT.on : SWITCH_HINT.off}
        </p>
        <Notice id="scim-enabled-error" kind="error" />
        {scimUrl === null ? (
          <p id="public-origin-warning" class="notice warning" role="alert">
            PUBLIC_ORIGIN is not set, so this service does not know its public URL: SCIM requests, new tokens and
            setup links are refused on this host. Set PUBLIC_ORIGIN to the service's URL (see docs/deploy.md, "PUBLIC_ORIGIN and a custom domain").
          </p>
        ) : (
          <CopyField
            id="scim-url"
            label="SCIM URL"
            value={scimUrl}
            hint="Paste it into your identity provider as the SCIM base URL (JumpCloud: Base URL)."
          />
        )}
      </Section>

      {scimUrl === null ? null : (
        <Section id="connect-heading" title="Connect your identity provider">
          <ConnectProvider scimUrl={scimUrl} />
        </Section>
      )}

      <Section id="status-heading" title="Connection status">
        <p class="hint">
          For each token: the identity provider's latest request, its requests and errors in the last 24 hours, and its
          latest error. Revoked and expired tokens are shown while something still uses them.{" "}
          <button type="button" id="status-refresh" class="small">
            Refresh
          </button>
        </p>
        <Notice id="token-status-error" kind="error" />
        <div id="token-status" class="status-cards" data-log-url={consolePaths.provisioningLog(org.id)}></div>
      </Section>

      <Section id="tokens-heading" title="Manage SCIM Tokens">
        <form id="create-token-form">
          <TextField
            id="token-description"
            label="Description"
            name="description"
            required
            maxlength={200}
            autocomplete="off"
            hint='Name the identity provider you will paste it into, e.g. "JumpCloud"; the provisioning log shows it.'
          />
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
          <FormSubmit errorId="create-token-error" label="Create token" />
        </form>

        <ShownOnce
          id="new-token"
          heading="New SCIM Token"
          warning={
            <>
              <strong>Copy the token now: you will not see it again.</strong> Only a hash of it is stored. If you lose it,
              create a new token and revoke this one.
            </>
          }
        >
          <CopyField id="new-token-scim-url" label="SCIM URL" />
          <CopyField id="new-token-value" label="New SCIM Token" />
        </ShownOnce>

        <h3 id="token-list-heading">Tokens</h3>
        <DataTable
          id="token-table"
          labelledBy="token-list-heading"
          columns={["Description", "Prefix", "Created", "Expires", "Last used", "Status", ""]}
        />
      </Section>

      <dialog id="rotate-dialog" aria-labelledby="rotate-title" aria-describedby="rotate-description">
        <form method="dialog">
          <h2 id="rotate-title">Rotate this token?</h2>
          <p id="rotate-description">
            A new token replaces <strong id="rotate-token-name"></strong>, with the same description and lifetime. Paste
            it into the identity provider; the old token keeps working for the grace period you choose.
          </p>
          <div class="field">
            <label for="rotate-grace">Grace period for the old token</label>
            <select id="rotate-grace" name="graceHours">
              {GRACE_PERIODS.map(([hours, label]) => (
                <option value={String(hours)} selected={hours === 24}>
                  {label}
                </option>
              ))}
            </select>
          </div>
          <div class="actions">
            <button type="submit" value="cancel" autofocus>
              Cancel
            </button>
            <button type="submit" value="confirm" id="rotate-confirm">
              Rotate token
            </button>
          </div>
        </form>
      </dialog>

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
    </OrgPage>
  );
}

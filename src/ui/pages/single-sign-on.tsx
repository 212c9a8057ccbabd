/**
 * Organization Settings › Authentication › Single sign-on: the values an identity provider's SSO
 * application asks for (with copy buttons), the SAML or OpenID Connect configuration, and the
 * sign-ins that were refused. The script (single-sign-on.js) reads and writes through the admin API.
 */
import { CopyField, DataTable, FormSubmit, Notice, Section, TextField } from "../components";
import type { PageSession } from "../layout";
import { OrgPage, type OrgView } from "../org-page";

export interface SpUrlsView {
  loginUrl: string;
  spEntityId: string;
  acsUrl: string;
  metadataUrl: string;
  redirectUri: string;
}

export function SingleSignOnPage({ session, org, urls }: { session: PageSession; org: OrgView; urls: SpUrlsView }) {
  return (
    <OrgPage
      session={session}
      org={org}
      section="sso"
      heading="Single sign-on"
      trail={["Organization Settings", "Authentication"]}
      script="single-sign-on.js"
    >
      <Section id="sso-status-heading" title="Status">
        <p id="sso-status" aria-live="polite">
          Loading…
        </p>
        <CopyField
          id="sso-login-url"
          label="Sign-in URL"
          value={urls.loginUrl}
          hint="Where people of this organization start signing in (JumpCloud: Login URL)."
        />
        <button type="button" id="sso-remove" class="danger" hidden>
          Turn off single sign-on
        </button>
        <Notice id="sso-remove-error" kind="error" />
      </Section>

      <Section id="sso-sp-heading" title="For your identity provider">
        <p class="hint">Create the SSO application in your identity provider with these values, then configure it below.</p>
        <h3>SAML 2.0</h3>
        <CopyField id="sso-sp-entity-id" label="SP Entity ID" value={urls.spEntityId} hint="JumpCloud: SP Entity ID (and Audience)." />
        <CopyField id="sso-acs-url" label="ACS URL" value={urls.acsUrl} hint="JumpCloud: ACS URLs (Default URL); HTTP-POST binding." />
        <CopyField id="sso-sp-metadata-url" label="SP metadata URL" value={urls.metadataUrl} hint="For identity providers that import service provider metadata." />
        <h3>OpenID Connect</h3>
        <CopyField id="sso-redirect-uri" label="Redirect URI" value={urls.redirectUri} hint="JumpCloud: Redirect URIs. Grant type: Authorization Code." />
      </Section>

      <Section id="sso-config-heading" title="Configure">
        <fieldset class="choice" id="sso-type">
          <legend>Protocol</legend>
          <label>
            <input type="radio" name="sso-type" value="saml" checked /> SAML 2.0
          </label>
          <label>
            <input type="radio" name="sso-type" value="oidc" /> OpenID Connect
          </label>
        </fieldset>

        <form id="saml-form">
          <TextField
            id="saml-metadata-url"
            label="IdP metadata URL"
            name="metadataUrl"
            autocomplete="off"
            hint="https:// URL of the identity provider's SAML metadata. Or paste the XML below instead."
          />
          <div class="field">
            <label for="saml-metadata-xml">IdP metadata XML</label>
            <textarea id="saml-metadata-xml" name="metadataXml" rows={6} spellcheck={false} aria-describedby="saml-metadata-xml-hint"></textarea>
            <p class="hint" id="saml-metadata-xml-hint">
              JumpCloud: SSO application › Export Metadata. Responses or assertions must be signed.
            </p>
          </div>
          <FormSubmit errorId="saml-error" label="Save SAML configuration" />
        </form>

        <form id="oidc-form" hidden>
          <TextField id="oidc-issuer" label="Issuer" name="issuer" autocomplete="off" hint="e.g. https://oauth.id.jumpcloud.com/ (discovery is checked when you save)." />
          <TextField id="oidc-client-id" label="Client ID" name="clientId" autocomplete="off" />
          <TextField
            id="oidc-client-secret"
            label="Client secret"
            name="clientSecret"
            type="password"
            autocomplete="off"
            hint="Stored encrypted and never shown again. Enter it again whenever you save."
          />
          <FormSubmit errorId="oidc-error" label="Save OpenID Connect configuration" />
        </form>
        <Notice id="sso-saved" kind="success" />
      </Section>

      <Section id="sso-attempts-heading" title="Refused sign-ins">
        <p class="hint">People the identity provider signed in but who are not provisioned, or are deactivated, here; and responses that failed verification.</p>
        <DataTable id="sso-attempts" labelledBy="sso-attempts-heading" columns={["Time", "Protocol", "Identity", "Reason", "Detail"]} />
      </Section>
    </OrgPage>
  );
}

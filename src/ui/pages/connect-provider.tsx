/**
 * SCIM Configuration › Connect your identity provider: a provider picker and, for each provider, its
 * own field names in the order its screens show them, with our value and a copy button where we have
 * one (docs/idp-dialects.md and the guides in docs/idp/ are the sources).
 */
import { CopyField } from "../components";

type Step =
  | { kind: "text"; text: string }
  /** A field of the provider's form that takes one of our values. */
  | { kind: "value"; field: string; value: "scimUrl" | "userName"; hint?: string }
  | { kind: "token"; field: string };

interface Provider {
  id: string;
  name: string;
  where: string;
  steps: Step[];
  after: string;
}

export const PROVIDERS: Provider[] = [
  {
    id: "jumpcloud",
    name: "JumpCloud",
    where: "SSO application › Identity Management (set up its SSO tab first)",
    steps: [
      { kind: "text", text: "API Type: SCIM API" },
      { kind: "text", text: "SCIM version: SCIM 2.0" },
      { kind: "value", field: "Base URL", value: "scimUrl" },
      { kind: "token", field: "Token Key" },
      { kind: "text", text: "Test User Email: an address of your domain that does not exist yet in JumpCloud" },
      { kind: "text", text: "Press Test Connection, then Activate: JumpCloud looks up, creates, updates and deletes a test user" },
      { kind: "text", text: "Optional: Enable management of User Groups and Group Membership (groups are taken over by name)" },
      { kind: "text", text: "Save, then bind users or groups to the application in its User Groups tab" },
    ],
    after: "JumpCloud pushes the bound users at once, then every change as it happens.",
  },
  {
    id: "okta",
    name: "Okta",
    where: "Applications › your app › Provisioning › Integration",
    steps: [
      { kind: "value", field: "SCIM connector base URL", value: "scimUrl" },
      { kind: "value", field: "Unique identifier field for users", value: "userName" },
      { kind: "text", text: "Supported provisioning actions: Push New Users, Push Profile Updates, Push Groups" },
      { kind: "text", text: "Authentication Mode: HTTP Header" },
      { kind: "token", field: "Authorization (Bearer)" },
      { kind: "text", text: "Test Connector Configuration, Save, then To App: enable Create Users, Update User Attributes, Deactivate Users" },
    ],
    after: "Okta deactivates rather than deletes users; Push Groups works.",
  },
  {
    id: "entra",
    name: "Microsoft Entra ID",
    where: "Enterprise applications › your app › Provisioning",
    steps: [
      { kind: "text", text: "Provisioning Mode: Automatic" },
      { kind: "value", field: "Tenant URL", value: "scimUrl" },
      { kind: "token", field: "Secret Token" },
      { kind: "text", text: "Test Connection, Save, then Start provisioning" },
    ],
    after: "Entra ID syncs in cycles of about 40 minutes; the default dialect and the aadOptscim062020 flag both work.",
  },
  {
    id: "onelogin",
    name: "OneLogin",
    where: "Applications › your SCIM app › Configuration",
    steps: [
      { kind: "value", field: "SCIM Base URL", value: "scimUrl" },
      { kind: "token", field: "SCIM Bearer Token" },
      { kind: "text", text: "API Connection: Enable; then Provisioning: Enable provisioning" },
    ],
    after: "The default SCIM template works as it is.",
  },
  {
    id: "google",
    name: "Google Workspace",
    where: "Admin console › Apps › Web and mobile apps › your app › Auto-provisioning",
    steps: [
      { kind: "value", field: "Endpoint URL", value: "scimUrl" },
      { kind: "token", field: "Access token" },
      { kind: "text", text: "Keep the default attribute mapping, choose the provisioning scope, then turn auto-provisioning on" },
    ],
    after: "Google's catalog apps work with their default template.",
  },
  {
    id: "authentik",
    name: "authentik",
    where: "Applications › Providers › Create › SCIM Provider",
    steps: [
      { kind: "value", field: "URL", value: "scimUrl" },
      { kind: "token", field: "Token" },
      { kind: "text", text: "Attach the provider to an application as a backchannel provider; it syncs on save and hourly" },
    ],
    after: "authentik's default property mappings work.",
  },
];

function StepItem({ provider, step, scimUrl }: { provider: Provider; step: Step; scimUrl: string }) {
  switch (step.kind) {
    case "text":
      return <li>{step.text}</li>;
    case "token":
      return (
        <li>
          <strong>{step.field}</strong>: the SCIM token you create below under <em>Manage SCIM Tokens</em> (shown once; name
          it "{provider.name}").
        </li>
      );
    case "value":
      return (
        <li>
          <CopyField
            id={`connect-${provider.id}-${step.value}`}
            label={step.field}
            value={step.value === "scimUrl" ? scimUrl : "userName"}
          />
        </li>
      );
  }
}

export function ConnectProvider({ scimUrl }: { scimUrl: string }) {
  return (
    <>
      <div class="field">
        <label for="provider-picker">Identity provider</label>
        <select id="provider-picker">
          {PROVIDERS.map((p) => (
            <option value={p.id}>{p.name}</option>
          ))}
        </select>
      </div>
      {PROVIDERS.map((p, i) => (
        <section class="provider-guide" data-provider={p.id} hidden={i > 0} aria-labelledby={`connect-${p.id}-title`}>
          <h3 id={`connect-${p.id}-title`}>Connect {p.name}</h3>
          <p class="hint">In {p.name}: {p.where}.</p>
          <ol class="provider-steps">
            {p.steps.map((step) => (
              <StepItem provider={p} step={step} scimUrl={scimUrl} />
            ))}
          </ol>
          <p class="hint">{p.after} Then check the provisioning log: every request it made is there, named after its token.</p>
        </section>
      ))}
    </>
  );
}

/**
 * Organization › Webhooks: the org's webhook endpoints. Adding one shows its signing secret once;
 * the list (webhooks.js, from `GET /api/v1/orgs/{orgId}/webhooks`) shows each endpoint's last
 * delivery, with Send test event, Rotate secret and Delete.
 */
import type { Child } from "hono/jsx";
import { CopyField, DataTable, FormSubmit, Section, ShownOnce } from "../components";
import type { PageSession } from "../layout";
import { OrgPage, type OrgView } from "../org-page";
import { consolePaths } from "../paths";

const FORMATS = [
  {
    value: "json",
    label: "JSON (Standard Webhooks)",
    hint: "The event as JSON, signed in the webhook-signature header (HMAC-SHA256).",
  },
  {
    value: "set",
    label: "Security Event Token (RFC 8417)",
    hint: "One signed JWT per event with the SCIM event URIs of RFC 9967, as application/secevent+jwt.",
  },
] as const;

function ConfirmDialog(props: { id: string; title: string; confirm: string; danger?: boolean; children?: Child }) {
  return (
    <dialog id={`${props.id}-dialog`} aria-labelledby={`${props.id}-title`} aria-describedby={`${props.id}-description`}>
      <form method="dialog">
        <h2 id={`${props.id}-title`}>{props.title}</h2>
        <p id={`${props.id}-description`}>{props.children}</p>
        <div class="actions">
          <button type="submit" value="cancel" autofocus>
            Cancel
          </button>
          <button type="submit" value="confirm" class={props.danger ? "danger" : "primary"} id={`${props.id}-confirm`}>
            {props.confirm}
          </button>
        </div>
      </form>
    </dialog>
  );
}

export function WebhooksPage({ session, org, eventTypes }: { session: PageSession; org: OrgView; eventTypes: readonly string[] }) {
  return (
    <OrgPage session={session} org={org} section="webhooks" heading="Webhooks" script="webhooks.js">
      <p class="lead">
        Endpoints that receive this organization's directory events as they happen, each in sequence order, retried
        with back-off for up to 3 days. Every request is signed with the endpoint's secret; check the signature before
        trusting it, and use the event id to process each event once. What was sent, and when, is on{" "}
        <a href={consolePaths.events(org.id)}>Events</a>.
      </p>

      <Section id="add-heading" title="Add an endpoint">
        <form id="add-webhook-form">
          <div class="field">
            <label for="webhook-url">Endpoint URL</label>
            <input
              type="url"
              id="webhook-url"
              name="url"
              required
              maxlength={2000}
              autocomplete="off"
              spellcheck={false}
              placeholder="https://app.example.com/hooks/directory"
              aria-describedby="webhook-url-hint"
            />
            <p class="hint" id="webhook-url-hint">
              An https: URL. Events are POSTed to it.
            </p>
          </div>
          <fieldset class="choice event-types" aria-describedby="webhook-types-hint">
            <legend>Event types</legend>
            {eventTypes.map((type) => (
              <label>
                <input type="checkbox" name="eventTypes" value={type} /> <code>{type}</code>
              </label>
            ))}
          </fieldset>
          <p class="hint" id="webhook-types-hint">
            Leave every box unticked to receive every event type, including types added later.
          </p>
          <fieldset class="choice formats">
            <legend>Format</legend>
            {FORMATS.map((format, i) => (
              <div class="format-option">
                <label>
                  <input type="radio" name="format" value={format.value} checked={i === 0} aria-describedby={`format-${format.value}-hint`} />{" "}
                  {format.label}
                </label>
                <p class="hint" id={`format-${format.value}-hint`}>
                  {format.hint}
                </p>
              </div>
            ))}
          </fieldset>
          <FormSubmit errorId="add-webhook-error" label="Add endpoint" />
        </form>

        <ShownOnce
          id="new-secret"
          heading="Signing secret"
          warning={
            <>
              <strong>Copy the secret now: you won't see it again.</strong> It is stored encrypted and never shown
              afterwards. Put it in your receiver's configuration to check each request's signature; if you lose it,
              rotate the secret.
            </>
          }
        >
          <CopyField id="new-secret-value" label="Signing secret" />
        </ShownOnce>
      </Section>

      <Section id="endpoints-heading" title="Endpoints">
        <div id="webhook-test-result" class="notice" role="status" hidden></div>
        <DataTable
          id="webhook-table"
          class="webhooks"
          labelledBy="endpoints-heading"
          columns={["Endpoint", "Event types", "Format", "Last delivery", "Created", ""]}
        />
      </Section>

      <ConfirmDialog id="rotate" title="Rotate the signing secret?" confirm="Rotate secret">
        A new secret replaces the current one of <strong id="rotate-url"></strong> at once: every request from now on is
        signed with it, and the old secret stops matching. The new secret is shown once.
      </ConfirmDialog>
      <ConfirmDialog id="delete" title="Delete this endpoint?" confirm="Delete endpoint" danger>
        <strong id="delete-url"></strong> stops receiving events at once. This cannot be undone.
      </ConfirmDialog>
    </OrgPage>
  );
}

/**
 * Where the rest of the service tells account setup that something happened: the SCIM Users resource
 * calls onUserProvisioned after a create, the admin API calls sendToSetupWebhook after issuing a link.
 * Both do their work after the response and never fail the request. They know nothing of HTTP: the
 * caller hands them what they need as a SetupHookRuntime (src/routes/setup-hooks.ts builds it).
 */
import type { Db } from "../db/client";
import { issueFirstSetupLinks, issueSetupLink } from "./links";
import { postSetupWebhook, type SetupWebhookPayload, type WebhookTarget } from "./webhook";

export interface SetupHookRuntime {
  db: Db;
  /** Where links are delivered; null when no setup webhook is configured. */
  webhook: WebhookTarget | null;
  /** The request's "now". */
  now: number;
  /** The configured public origin links point to; null when there is none (then no link is minted). */
  origin: string | null;
  /** Runs work after the response; a failure there must never fail the request. */
  afterResponse: (work: Promise<unknown>) => void;
}

/** Sends a freshly issued link to the setup webhook after the response, when one is configured. */
export function sendToSetupWebhook(rt: SetupHookRuntime, payload: SetupWebhookPayload): void {
  if (rt.webhook) rt.afterResponse(postSetupWebhook(rt.webhook, payload));
}

/**
 * To be called by the SCIM Users resource after it created a user. With a setup webhook configured,
 * it issues the user's first setup link and delivers it, all after the response, so the identity
 * provider's request is neither slowed nor failed by it. Without a webhook nothing happens: the
 * user stays pending until an admin issues a link.
 */
export function onUserProvisioned(rt: SetupHookRuntime, user: { id: string; orgId: string }): void {
  const target = rt.webhook;
  const origin = rt.origin;
  if (!target || !origin) return;
  rt.afterResponse(
    (async () => {
      const issued = await issueSetupLink(rt.db, user.orgId, user.id, rt.now, origin);
      if (issued.ok) await postSetupWebhook(target, issued.webhookPayload);
    })(),
  );
}

/** Webhook deliveries in flight at once (Workers allow six simultaneous outgoing connections). */
const WEBHOOK_CONCURRENCY = 6;

/**
 * onUserProvisioned for users created together (a Bulk request): with a setup webhook, their first
 * links are issued in three statements whatever their number, then delivered, six at a time, after
 * the response.
 */
export function onUsersProvisioned(rt: SetupHookRuntime, orgId: string, userIds: string[]): void {
  const target = rt.webhook;
  const origin = rt.origin;
  if (!target || !origin || !userIds.length) return;
  rt.afterResponse(
    (async () => {
      const payloads = await issueFirstSetupLinks(rt.db, orgId, userIds, rt.now, origin);
      let next = 0;
      const worker = async () => {
        while (next < payloads.length) await postSetupWebhook(target, payloads[next++]);
      };
      await Promise.all(Array.from({ length: Math.min(WEBHOOK_CONCURRENCY, payloads.length) }, worker));
    })(),
  );
}

/**
 * Webhook endpoints as the admin API manages them, and how the rest of the service reaches their
 * delivery objects (src/events/delivery.ts): `handOff` after a committed write, `sweep` from the
 * Cron Trigger (src/events/sweeper.ts), a redelivery, a test event.
 */
import { eventById } from "../db/events";
import {
  deleteWebhook,
  deliveriesOfEvent,
  insertWebhook,
  lastDeliveries,
  orgWebhook,
  orgWebhookIds,
  orgWebhooks,
  queueRedelivery,
  updateWebhookSecret,
  type DeliveryRow,
  type DeliveryStatus,
  type WebhookFormat,
  type WebhookRow,
} from "../db/webhooks";
import type { Env } from "../env";
import { newId } from "../lib/crypto";
import { isLoopbackHost } from "../lib/origins";
import { sealSecret, secretKeyProblem, type SecretKeyProblem } from "../lib/secret-box";
import type { AttemptOutcome, WebhookDelivery } from "./delivery";
import { typesOf } from "./delivery";
import { newWebhookSecret } from "./signing";

export function deliveryObject(env: Env, webhookId: string): DurableObjectStub<WebhookDelivery> {
  return env.WEBHOOK_DELIVERY.get(env.WEBHOOK_DELIVERY.idFromName(webhookId));
}

/** Why a URL cannot be an endpoint, or null when it can. */
export function endpointUrlProblem(url: string, allowLocalHttp: boolean): string | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return "must be an absolute URL";
  }
  if (parsed.username || parsed.password) return "must not carry credentials";
  if (parsed.protocol === "https:") return null;
  if (parsed.protocol === "http:" && allowLocalHttp && isLoopbackHost(parsed.hostname)) return null;
  return allowLocalHttp
    ? "must be https: (http: only for 127.0.0.1 or localhost)"
    : "must be https: (http://127.0.0.1 and http://localhost are accepted only when the service runs locally)";
}

export interface NewWebhook {
  url: string;
  eventTypes?: string[] | null;
  format?: WebhookFormat;
}

export type SecretOutcome<T> = ({ ok: true } & T) | { ok: false; problem: SecretKeyProblem };

/** Stores a new endpoint with a fresh secret, which only this answer carries in the clear. */
export async function createWebhook(
  env: Env,
  orgId: string,
  input: NewWebhook,
  now: number,
): Promise<SecretOutcome<{ row: WebhookRow; secret: string }>> {
  const problem = secretKeyProblem(env.WEBHOOK_SECRET_KEY);
  if (problem) return { ok: false, problem };
  const secret = newWebhookSecret();
  const row = await insertWebhook(env.DB, {
    id: newId(),
    orgId,
    kind: "endpoint",
    url: input.url,
    eventTypes: input.eventTypes?.length ? JSON.stringify(input.eventTypes) : null,
    format: input.format ?? "json",
    secretSealed: await sealSecret(env.WEBHOOK_SECRET_KEY!, "webhook", orgId, secret),
    createdAt: now,
  });
  return { ok: true, row, secret };
}

/** Replaces an endpoint's secret; the next attempt signs with the new one. Null: no such endpoint. */
export async function rotateWebhookSecret(env: Env, orgId: string, id: string): Promise<SecretOutcome<{ secret: string }> | null> {
  const problem = secretKeyProblem(env.WEBHOOK_SECRET_KEY);
  if (problem) return { ok: false, problem };
  const hook = await orgWebhook(env.DB, orgId, id);
  if (!hook || hook.kind !== "endpoint") return null;
  const secret = newWebhookSecret();
  await updateWebhookSecret(env.DB, orgId, id, await sealSecret(env.WEBHOOK_SECRET_KEY!, "webhook", orgId, secret));
  return { ok: true, secret };
}

export async function removeWebhook(env: Env, orgId: string, id: string): Promise<boolean> {
  const hook = await orgWebhook(env.DB, orgId, id);
  if (!hook || hook.kind !== "endpoint") return false;
  const deleted = await deleteWebhook(env.DB, orgId, id);
  // Its object finds the row gone and clears its alarm and storage.
  if (deleted) await deliveryObject(env, id).poke(id).catch(() => undefined);
  return deleted;
}

export interface WebhookSummary {
  row: WebhookRow;
  eventTypes: string[] | null;
  lastDelivery: DeliveryRow | null;
}

/** The org's endpoints (not the deployment's setup webhook) with each one's latest attempt. */
export async function listWebhooks(d1: D1Database, orgId: string): Promise<WebhookSummary[]> {
  const rows = await orgWebhooks(d1, orgId, "endpoint");
  const last = await lastDeliveries(d1, rows.map((r) => r.id));
  return rows.map((row) => ({ row, eventTypes: typesOf(row) ?? null, lastDelivery: last.get(row.id) ?? null }));
}

export interface EventDelivery {
  webhook: WebhookRow;
  status: DeliveryStatus;
  attempts: number;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
}

function matches(hook: WebhookRow, type: string): boolean {
  const types = typesOf(hook);
  return !types || types.includes(type);
}

/**
 * One row per endpoint of the org whose filter takes the event: its recorded delivery, or `pending`
 * when none was attempted yet. An endpoint added after the event (its cursor started past it and
 * nothing was recorded) is not listed: the event was never meant for it. Null: no such event.
 */
export async function eventDeliveries(d1: D1Database, orgId: string, eventId: string): Promise<EventDelivery[] | null> {
  const event = await eventById(d1, orgId, eventId);
  if (!event) return null;
  const [hooks, rows] = await Promise.all([orgWebhooks(d1, orgId, "endpoint"), deliveriesOfEvent(d1, eventId)]);
  const byHook = new Map(rows.map((r) => [r.webhookId, r]));
  const out: EventDelivery[] = [];
  for (const webhook of hooks) {
    const row = byHook.get(webhook.id);
    if (row) {
      out.push({ webhook, ...row });
    } else if (matches(webhook, event.type) && webhook.cursor < event.sequence) {
      out.push({ webhook, status: "pending", attempts: 0, lastStatus: null, lastError: null, lastAttemptAt: null, nextAttemptAt: null });
    }
  }
  return out;
}

export type RedeliveryResult = { ok: true; webhookIds: string[] } | { ok: false; notFound: "event" | "webhook" };

/**
 * Sends an event again to one endpoint (or every endpoint of the org its filter takes): a fresh series
 * of attempts, due now, outside the stream's order when the endpoint is already past it. An event
 * the endpoint has not reached yet goes out in its turn anyway (a held-back head is made due now).
 */
export async function redeliverEvent(env: Env, orgId: string, eventId: string, webhookId: string | undefined, now: number): Promise<RedeliveryResult> {
  const d1 = env.DB;
  const event = await eventById(d1, orgId, eventId);
  if (!event) return { ok: false, notFound: "event" };
  let hooks: WebhookRow[];
  if (webhookId) {
    const hook = await orgWebhook(d1, orgId, webhookId);
    if (!hook || hook.kind !== "endpoint") return { ok: false, notFound: "webhook" };
    hooks = [hook];
  } else {
    hooks = (await orgWebhooks(d1, orgId, "endpoint")).filter((h) => matches(h, event.type));
  }
  const existing = new Map((await deliveriesOfEvent(d1, eventId)).map((r) => [r.webhookId, r]));
  for (const hook of hooks) {
    // Past the cursor, or the held-back head: (re)queue. Ahead of the cursor otherwise: it goes in its turn.
    if (event.sequence <= hook.cursor || existing.has(hook.id)) await queueRedelivery(d1, hook.id, event, now);
  }
  return { ok: true, webhookIds: hooks.map((h) => h.id) };
}

/** Sends a `webhook.test` event to one endpoint now. Null: no such endpoint. */
export async function testWebhook(env: Env, orgId: string, id: string, origin: string | null): Promise<AttemptOutcome | null> {
  const hook = await orgWebhook(env.DB, orgId, id);
  if (!hook || hook.kind !== "endpoint") return null;
  return deliveryObject(env, id).sendTest(id, origin);
}

/**
 * After a committed write of the org: pokes each of its endpoints' objects, so the new events go out
 * now rather than at the sweeper's next minute. Run after the response; failures are the sweeper's.
 */
export async function handOff(env: Env, orgId: string, origin: string | null): Promise<void> {
  await pokeEndpoints(env, await orgWebhookIds(env.DB, orgId), origin);
}

/** Wakes these endpoints' objects; each runs its deliveries to the end. A failed poke is the sweeper's. */
export async function pokeEndpoints(env: Env, ids: string[], origin: string | null): Promise<void> {
  await Promise.all(
    ids.map((id) =>
      deliveryObject(env, id)
        .poke(id, origin)
        .catch((err) => console.error(`webhook ${id}: poke failed (the sweeper will pick it up):`, err)),
    ),
  );
}

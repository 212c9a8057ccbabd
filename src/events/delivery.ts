/**
 * The delivery engine: one Durable Object per webhook endpoint (`WEBHOOK_DELIVERY`, idFromName of the
 * endpoint id). Why a Durable Object and not a Queue: an endpoint must receive its events in
 * sequence order, and a failing event must hold back the later ones for that endpoint only. Queues
 * neither order messages nor hold back one consumer's messages while others flow; one object per
 * endpoint is a single-threaded sequencer for exactly one endpoint, with an alarm for its next retry.
 *
 * The object keeps no state of its own beyond the endpoint id (and the last known public origin):
 * the endpoint's `cursor` (the last sequence it is done with) and each attempted delivery live in
 * D1, where the admin API shows them and the sweeper (src/events/sweeper.ts) finds endpoints that
 * fell behind. A run (`drain`):
 * 1. due redeliveries an operator queued for events the endpoint is already past, out of order;
 * 2. if the head of the stream is waiting for its retry, nothing more until then;
 * 3. otherwise the org's events after the cursor (of the endpoint's types), in sequence order, one
 *    POST each: a 2xx advances the cursor (in the same D1 batch that records the delivery); a failure
 *    records the attempt and sets the alarm for the retry; after the last attempt of the schedule
 *    (src/events/retry.ts) the delivery is `failed` — the dead letter, kept and redeliverable — and
 *    the cursor moves past it.
 * Delivery is at least once (a crash after the receiver's 2xx and before the batch sends it again):
 * receivers deduplicate by event id (`webhook-id`, the SET's `jti`).
 *
 * While a run is in progress the alarm is set a minute ahead as a watchdog: if the object is evicted
 * or crashes mid-run, the alarm resumes it. Pokes during a run make it go round once more.
 */
import { DurableObject } from "cloudflare:workers";
import { eventById, newEventId, readEventPage, type StoredEvent } from "../db/events";
import {
  advanceCursor,
  headDelivery,
  recordAttempt,
  redeliveries,
  webhookById,
  type DeliveryRow,
  type WebhookRow,
} from "../db/webhooks";
import type { Env } from "../env";
import { systemClock, type Clock } from "../lib/clock";
import { trimmedOrigin } from "../lib/origins";
import { openSecret } from "../lib/secret-box";
import { toDirectoryEvent, type DirectoryEvent } from "./model";
import { nextAttemptAt, retryDelays } from "./retry";
import { SET_CONTENT_TYPE, signedSet } from "./set";
import { standardWebhookHeaders } from "./signing";

/** Each attempt is given this long to answer. */
export const ATTEMPT_TIMEOUT_MS = 10_000;
/** Events read per D1 round trip. */
const PAGE = 50;
/** A run yields (and resumes from an alarm at once) after this many attempts, so one run stays bounded. */
const MAX_ATTEMPTS_PER_RUN = 500;
const WATCHDOG_MS = 60_000;
const MAX_ERROR_CHARS = 300;

export interface AttemptOutcome {
  delivered: boolean;
  /** The receiver's HTTP status; null when none came (network error, timeout). */
  status: number | null;
  error: string | null;
}

/** How a delivery's record changes after an attempt. */
function afterAttempt(row: DeliveryRow, outcome: AttemptOutcome, delays: number[], now: number): DeliveryRow {
  const attempts = row.attempts + 1;
  const next = outcome.delivered ? null : nextAttemptAt(delays, attempts, now);
  return {
    ...row,
    attempts,
    status: outcome.delivered ? "delivered" : next === null ? "failed" : "retrying",
    lastStatus: outcome.status,
    lastError: outcome.error,
    lastAttemptAt: now,
    nextAttemptAt: next,
  };
}

function freshDelivery(webhookId: string, event: StoredEvent): DeliveryRow {
  return {
    webhookId,
    eventId: event.id,
    sequence: event.sequence,
    attempts: 0,
    status: "pending",
    lastStatus: null,
    lastError: null,
    lastAttemptAt: null,
    nextAttemptAt: null,
  };
}

export function typesOf(hook: Pick<WebhookRow, "eventTypes">): string[] | undefined {
  return hook.eventTypes ? (JSON.parse(hook.eventTypes) as string[]) : undefined;
}

export class WebhookDelivery extends DurableObject<Env> {
  /** Sends the requests; tests replace it (runInDurableObject) with a fake receiver. */
  fetcher: typeof fetch = (input, init) => fetch(input, init);
  /** "Now" for attempts and retry times; tests move it instead of sleeping. */
  clock: Clock = systemClock;
  private running: Promise<void> | null = null;
  private again = false;

  /**
   * Something may be waiting for this endpoint (a write committed, the sweeper found it behind, a
   * redelivery was queued): run now unless a run is in progress (then it goes round once more).
   * Resolves when the run is over.
   */
  async poke(webhookId: string, origin?: string | null): Promise<void> {
    if ((await this.ctx.storage.get<string>("webhookId")) !== webhookId) await this.ctx.storage.put("webhookId", webhookId);
    if (origin && (await this.ctx.storage.get<string>("origin")) !== origin) await this.ctx.storage.put("origin", origin);
    await this.run();
  }

  override async alarm(): Promise<void> {
    await this.run();
  }

  /** Sends a `webhook.test` event now, outside the org's sequence, once; the answer says how it went. */
  async sendTest(webhookId: string, origin?: string | null): Promise<AttemptOutcome> {
    const hook = await webhookById(this.env.DB, webhookId);
    if (!hook) return { delivered: false, status: null, error: "The endpoint no longer exists" };
    const secret = await this.secretOf(hook);
    if (!secret) return { delivered: false, status: null, error: "The endpoint's secret cannot be opened (WEBHOOK_SECRET_KEY)" };
    const now = this.clock();
    const event: DirectoryEvent = {
      id: newEventId(),
      type: "webhook.test",
      orgId: hook.orgId,
      occurredAt: new Date(now).toISOString(),
      sequence: 0,
      data: { webhookId: hook.id },
    };
    return this.attempt(hook, secret, event, origin ?? (await this.ctx.storage.get<string>("origin")) ?? null);
  }

  private run(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      try {
        do {
          this.again = false;
          await this.drain();
        } while (this.again);
      } finally {
        this.running = null;
      }
    })();
    return this.running;
  }

  private async secretOf(hook: WebhookRow): Promise<string | null> {
    if (hook.kind === "setup") return this.env.SETUP_WEBHOOK_SECRET || null;
    const key = this.env.WEBHOOK_SECRET_KEY;
    if (!key || !hook.secretSealed) return null;
    return openSecret(key, "webhook", hook.orgId, hook.secretSealed);
  }

  /** Sets the next alarm `dueAt` on the injected clock, as a delay from the real one. */
  private async alarmAt(dueAt: number): Promise<void> {
    await this.ctx.storage.setAlarm(Date.now() + Math.max(0, dueAt - this.clock()));
  }

  private async drain(): Promise<void> {
    const d1 = this.env.DB;
    const webhookId = await this.ctx.storage.get<string>("webhookId");
    if (!webhookId) return;
    const hook = await webhookById(d1, webhookId);
    if (!hook) {
      // Deleted: nothing left to do, ever.
      await this.ctx.storage.deleteAlarm();
      await this.ctx.storage.deleteAll();
      return;
    }
    const secret = await this.secretOf(hook);
    if (!secret) {
      // A configuration problem, not the receiver's: keep everything queued; the sweeper pokes again.
      console.error(`webhook ${hook.id} not delivering: its signing secret cannot be opened (is WEBHOOK_SECRET_KEY set and unchanged?)`);
      await this.ctx.storage.deleteAlarm();
      return;
    }
    const origin = trimmedOrigin(this.env.PUBLIC_ORIGIN) ?? (await this.ctx.storage.get<string>("origin")) ?? null;
    await this.ctx.storage.setAlarm(Date.now() + WATCHDOG_MS);
    const delays = retryDelays(this.env.WEBHOOK_RETRY_DELAYS);
    let wakeAt: number | null = null;
    const wake = (at: number | null) => {
      if (at !== null) wakeAt = wakeAt === null ? at : Math.min(wakeAt, at);
    };
    let budget = MAX_ATTEMPTS_PER_RUN;

    // 1. Redeliveries of events the endpoint is already past.
    for (const row of await redeliveries(d1, hook.id, hook.cursor, PAGE)) {
      if ((row.nextAttemptAt ?? 0) > this.clock()) {
        wake(row.nextAttemptAt);
        continue;
      }
      const stored = await eventById(d1, hook.orgId, row.eventId);
      const outcome: AttemptOutcome = stored
        ? await this.attempt(hook, secret, toDirectoryEvent(stored), origin)
        : { delivered: false, status: null, error: "The event is no longer retained" };
      const next = afterAttempt(stored ? row : { ...row, attempts: delays.length }, outcome, delays, this.clock());
      await recordAttempt(d1, next);
      wake(next.status === "retrying" ? next.nextAttemptAt : null);
      budget--;
    }

    // 2. The stream, in order, from the cursor.
    let cursor = hook.cursor;
    let head = await headDelivery(d1, hook.id, cursor);
    let yielded = false;
    if (head && (head.nextAttemptAt ?? 0) > this.clock()) {
      wake(head.nextAttemptAt);
    } else {
      const types = typesOf(hook);
      stream: for (;;) {
        const page = await readEventPage(d1, hook.orgId, cursor, PAGE, types);
        for (const stored of page.events) {
          if (budget-- <= 0) {
            yielded = true;
            break stream;
          }
          const row = head && head.eventId === stored.id ? head : freshDelivery(hook.id, stored);
          head = null;
          const outcome = await this.attempt(hook, secret, toDirectoryEvent(stored), origin);
          const next = afterAttempt(row, outcome, delays, this.clock());
          if (next.status === "retrying") {
            await recordAttempt(d1, next);
            wake(next.nextAttemptAt);
            break stream;
          }
          await recordAttempt(d1, next, stored.sequence);
          cursor = stored.sequence;
        }
        if (page.events.length < PAGE) {
          // Everything up to where the stream stood when the page was read is done (or filtered out).
          if (page.last > cursor) await advanceCursor(d1, hook.id, page.last);
          break;
        }
      }
    }

    if (yielded) await this.ctx.storage.setAlarm(Date.now());
    else if (wakeAt !== null) await this.alarmAt(wakeAt);
    else await this.ctx.storage.deleteAlarm();
  }

  /** One POST of one event to the endpoint, in its format. */
  private async attempt(hook: WebhookRow, secret: string, event: DirectoryEvent, origin: string | null): Promise<AttemptOutcome> {
    const now = this.clock();
    const seconds = Math.floor(now / 1000);
    let request: { headers: Record<string, string>; body: string };
    if (hook.format === "set") {
      const body = await signedSet(event, secret, origin ?? "edge-scim", hook.url, seconds);
      request = { headers: { "content-type": SET_CONTENT_TYPE }, body };
    } else {
      const body = JSON.stringify(event);
      request = { headers: { "content-type": "application/json", ...(await standardWebhookHeaders(secret, event.id, seconds, body)) }, body };
    }
    try {
      const response = await this.fetcher(hook.url, {
        method: "POST",
        headers: request.headers,
        body: request.body,
        // A redirect is the receiver's configuration problem: the endpoint's URL is what was signed for.
        redirect: "manual",
        signal: AbortSignal.timeout(ATTEMPT_TIMEOUT_MS),
      });
      await response.body?.cancel();
      const delivered = response.status >= 200 && response.status < 300;
      return { delivered, status: response.status, error: delivered ? null : `HTTP ${response.status}` };
    } catch (err) {
      const e = err as Error;
      return { delivered: false, status: null, error: `${e.name}: ${e.message}`.slice(0, MAX_ERROR_CHARS) };
    }
  }
}

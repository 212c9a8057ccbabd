/**
 * Webhook endpoints and their deliveries (tables `webhooks`, `webhook_deliveries`, src/db/schema.ts).
 * Plain D1 statements: the Durable Object that delivers (src/events/delivery.ts) runs them from its
 * own env, the admin API through the request's db.
 */

export type WebhookFormat = "json" | "set";
export type WebhookKind = "endpoint" | "setup";
export type DeliveryStatus = "pending" | "retrying" | "delivered" | "failed";

export interface WebhookRow {
  id: string;
  orgId: string;
  kind: WebhookKind;
  url: string;
  /** JSON array, or null for every type. */
  eventTypes: string | null;
  format: WebhookFormat;
  secretSealed: string | null;
  createdAt: number;
  cursor: number;
}

export interface DeliveryRow {
  webhookId: string;
  eventId: string;
  sequence: number;
  attempts: number;
  status: DeliveryStatus;
  lastStatus: number | null;
  lastError: string | null;
  lastAttemptAt: number | null;
  nextAttemptAt: number | null;
}

const WEBHOOK_COLUMNS = `id, org_id AS orgId, kind, url, event_types AS eventTypes, format, secret_sealed AS secretSealed,
  created_at AS createdAt, cursor`;
const DELIVERY_COLUMNS = `webhook_id AS webhookId, event_id AS eventId, sequence, attempts, status, last_status AS lastStatus,
  last_error AS lastError, last_attempt_at AS lastAttemptAt, next_attempt_at AS nextAttemptAt`;

/** The org's latest sequence (0 before its first event), as the events table numbers it. */
const LAST_SEQUENCE = `coalesce((SELECT max(sequence) FROM events WHERE org_id = ?),
  (SELECT pruned_through FROM event_sequences WHERE org_id = ?), 0)`;

/**
 * Stores a new endpoint whose cursor starts at the org's latest event: an endpoint receives what
 * happens after it was added, not the history (which the pull API serves).
 */
export async function insertWebhook(
  d1: D1Database,
  row: Omit<WebhookRow, "cursor">,
): Promise<WebhookRow> {
  const stored = await d1
    .prepare(
      `INSERT INTO webhooks (id, org_id, kind, url, event_types, format, secret_sealed, created_at, cursor)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ${LAST_SEQUENCE}) RETURNING ${WEBHOOK_COLUMNS}`,
    )
    .bind(row.id, row.orgId, row.kind, row.url, row.eventTypes, row.format, row.secretSealed, row.createdAt, row.orgId, row.orgId)
    .first<WebhookRow>();
  return stored!;
}

export function webhookById(d1: D1Database, id: string): Promise<WebhookRow | null> {
  return d1.prepare(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = ?`).bind(id).first<WebhookRow>();
}

export function orgWebhook(d1: D1Database, orgId: string, id: string): Promise<WebhookRow | null> {
  return d1.prepare(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE org_id = ? AND id = ?`).bind(orgId, id).first<WebhookRow>();
}

/** An org's endpoints of one kind (or all), oldest first. */
export async function orgWebhooks(d1: D1Database, orgId: string, kind?: WebhookKind): Promise<WebhookRow[]> {
  const { results } = await d1
    .prepare(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE org_id = ? ${kind ? "AND kind = ?" : ""} ORDER BY created_at, id`)
    .bind(...(kind ? [orgId, kind] : [orgId]))
    .all<WebhookRow>();
  return results;
}

/** The ids of the org's endpoints (the hand-off after a write): one index probe. */
export async function orgWebhookIds(d1: D1Database, orgId: string): Promise<string[]> {
  const { results } = await d1.prepare(`SELECT id FROM webhooks WHERE org_id = ?`).bind(orgId).all<{ id: string }>();
  return results.map((r) => r.id);
}

export async function deleteWebhook(d1: D1Database, orgId: string, id: string): Promise<boolean> {
  const result = await d1.prepare(`DELETE FROM webhooks WHERE org_id = ? AND id = ?`).bind(orgId, id).run();
  return result.meta.changes > 0;
}

export async function updateWebhookSecret(d1: D1Database, orgId: string, id: string, secretSealed: string): Promise<boolean> {
  const result = await d1.prepare(`UPDATE webhooks SET secret_sealed = ? WHERE org_id = ? AND id = ?`).bind(secretSealed, orgId, id).run();
  return result.meta.changes > 0;
}

/** The most recent attempted delivery of each of `ids` (the endpoint list's `lastDelivery`), one query. */
export async function lastDeliveries(d1: D1Database, ids: string[]): Promise<Map<string, DeliveryRow>> {
  if (!ids.length) return new Map();
  const { results } = await d1
    .prepare(
      `SELECT ${DELIVERY_COLUMNS} FROM json_each(?) j
       JOIN webhook_deliveries d ON d.rowid = (
         SELECT rowid FROM webhook_deliveries WHERE webhook_id = j.value AND last_attempt_at IS NOT NULL
         ORDER BY last_attempt_at DESC, sequence DESC LIMIT 1)`,
    )
    .bind(JSON.stringify(ids))
    .all<DeliveryRow>();
  return new Map(results.map((r) => [r.webhookId, r]));
}

/** Every recorded delivery of one event, by endpoint. */
export async function deliveriesOfEvent(d1: D1Database, eventId: string): Promise<DeliveryRow[]> {
  const { results } = await d1.prepare(`SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE event_id = ?`).bind(eventId).all<DeliveryRow>();
  return results;
}

/** The endpoint's one delivery held at its cursor (the head being retried), if any. */
export function headDelivery(d1: D1Database, webhookId: string, cursor: number): Promise<DeliveryRow | null> {
  return d1
    .prepare(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = ? AND sequence > ? AND status IN ('pending', 'retrying')
       ORDER BY sequence LIMIT 1`,
    )
    .bind(webhookId, cursor)
    .first<DeliveryRow>();
}

/**
 * Redeliveries an operator asked for of events the endpoint is already past (its cursor is at or
 * beyond them): due ones first. They go out of order by nature and never hold the stream back.
 */
export async function redeliveries(d1: D1Database, webhookId: string, cursor: number, limit: number): Promise<DeliveryRow[]> {
  const { results } = await d1
    .prepare(
      `SELECT ${DELIVERY_COLUMNS} FROM webhook_deliveries WHERE webhook_id = ? AND sequence <= ? AND status IN ('pending', 'retrying')
       ORDER BY next_attempt_at, sequence LIMIT ?`,
    )
    .bind(webhookId, cursor, limit)
    .all<DeliveryRow>();
  return results;
}

/** Records an attempt's outcome; with `advanceTo`, moves the endpoint's cursor in the same batch. */
export async function recordAttempt(d1: D1Database, row: DeliveryRow, advanceTo?: number): Promise<void> {
  const statements = [
    d1
      .prepare(
        `INSERT INTO webhook_deliveries (webhook_id, event_id, sequence, attempts, status, last_status, last_error, last_attempt_at, next_attempt_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (webhook_id, event_id) DO UPDATE SET attempts = excluded.attempts, status = excluded.status,
           last_status = excluded.last_status, last_error = excluded.last_error, last_attempt_at = excluded.last_attempt_at,
           next_attempt_at = excluded.next_attempt_at`,
      )
      .bind(row.webhookId, row.eventId, row.sequence, row.attempts, row.status, row.lastStatus, row.lastError, row.lastAttemptAt, row.nextAttemptAt),
  ];
  if (advanceTo !== undefined) statements.push(advanceStatement(d1, row.webhookId, advanceTo));
  await d1.batch(statements);
}

function advanceStatement(d1: D1Database, webhookId: string, to: number) {
  return d1.prepare(`UPDATE webhooks SET cursor = max(cursor, ?) WHERE id = ?`).bind(to, webhookId);
}

/** Moves the cursor past events the endpoint's filter skips (never backwards). */
export async function advanceCursor(d1: D1Database, webhookId: string, to: number): Promise<void> {
  await advanceStatement(d1, webhookId, to).run();
}

/**
 * Queues a redelivery of one event to one endpoint: a fresh series of attempts, due now. A delivery
 * in flight or waiting for its retry is only made due now.
 */
export async function queueRedelivery(d1: D1Database, webhookId: string, event: { id: string; sequence: number }, now: number): Promise<void> {
  await d1
    .prepare(
      `INSERT INTO webhook_deliveries (webhook_id, event_id, sequence, attempts, status, next_attempt_at)
       VALUES (?, ?, ?, 0, 'pending', ?)
       ON CONFLICT (webhook_id, event_id) DO UPDATE SET next_attempt_at = excluded.next_attempt_at,
         attempts = CASE WHEN status IN ('delivered', 'failed') THEN 0 ELSE attempts END,
         status = CASE WHEN status IN ('delivered', 'failed') THEN 'pending' ELSE status END`,
    )
    .bind(webhookId, event.id, event.sequence, now)
    .run();
}

/**
 * The sweeper's one query: every endpoint whose cursor is behind its org's stream, or with a
 * delivery due (a retry whose alarm was lost, a queued redelivery).
 */
export async function endpointsNeedingWork(d1: D1Database, now: number): Promise<string[]> {
  const { results } = await d1
    .prepare(
      `SELECT w.id FROM webhooks w
       WHERE w.cursor < coalesce((SELECT max(sequence) FROM events e WHERE e.org_id = w.org_id), 0)
       UNION
       SELECT DISTINCT webhook_id FROM webhook_deliveries WHERE status IN ('pending', 'retrying') AND next_attempt_at <= ?`,
    )
    .bind(now)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Retention: delivery records of events older than `before` go with the events (30 days). */
export async function pruneDeliveries(d1: D1Database, before: number): Promise<number> {
  const result = await d1
    .prepare(`DELETE FROM webhook_deliveries WHERE status IN ('delivered', 'failed') AND last_attempt_at < ?`)
    .bind(before)
    .run();
  return result.meta.changes;
}

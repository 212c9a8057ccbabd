/**
 * A SCIM token's activity, for the connection status card: requests and errors per hour
 * (`scim_token_hours`) and its latest request and latest error (`scim_token_activity`).
 *
 * The writes are statements for the provisioning log's batch (src/provisioning-log/store.ts): the
 * requests it records are the facts, so counting them costs no round trip of its own, and concurrent
 * requests' counts share one write with their entries. Each statement carries any number of requests
 * as one JSON parameter (json_each), joined to `scim_tokens` so that a token deleted meanwhile (its
 * org was) drops out instead of failing the batch on the foreign key.
 */
import { and, eq, gt, lte, sql } from "drizzle-orm";
import type { Db } from "./client";
import { scimTokenActivity, scimTokenHours, scimTokens } from "./schema";
import { listTokens, type TokenRow } from "./tokens";

export const HOUR_MS = 3_600_000;
/** The status card's window: the current hour's bucket and the 23 before it. */
export const ACTIVITY_WINDOW_HOURS = 24;

/** The start of the hour `at` falls in (epoch ms). */
export function hourOf(at: number): number {
  return at - (at % HOUR_MS);
}

/** The oldest bucket still inside the window ending at `now`. */
export function windowStart(now: number): number {
  return hourOf(now) - (ACTIVITY_WINDOW_HOURS - 1) * HOUR_MS;
}

/** What one recorded request tells about its token (a provisioning log record has these fields). */
export interface TokenRequestFact {
  tokenId: string;
  at: number;
  status: number;
  scimType: string | null;
  detail: string | null;
  userAgent: string | null;
  idp: string | null;
  /** Refusals of a rate-limited flood that were not recorded one by one; counted as requests and errors too. */
  unrecordedRefusals?: number;
}

const isError = (status: number) => status >= 400;

/** Per (token, hour): how many requests and errors; one row per key, so the upsert adds each once. */
function hourlyCounts(facts: TokenRequestFact[]) {
  const buckets = new Map<string, { tokenId: string; hour: number; requests: number; errors: number }>();
  for (const f of facts) {
    const hour = hourOf(f.at);
    const key = `${f.tokenId} ${hour}`;
    const bucket = buckets.get(key) ?? { tokenId: f.tokenId, hour, requests: 0, errors: 0 };
    const n = 1 + (f.unrecordedRefusals ?? 0);
    bucket.requests += n;
    if (isError(f.status)) bucket.errors += n;
    buckets.set(key, bucket);
  }
  return [...buckets.values()];
}

/** Per token: its newest request, and its newest error (absent when none of these erred). */
function latest(facts: TokenRequestFact[]) {
  const byToken = new Map<string, { request: TokenRequestFact; error: TokenRequestFact | null }>();
  for (const f of facts) {
    const seen = byToken.get(f.tokenId);
    const request = !seen || f.at >= seen.request.at ? f : seen.request;
    const error = isError(f.status) && (!seen?.error || f.at >= seen.error.at) ? f : (seen?.error ?? null);
    byToken.set(f.tokenId, { request, error });
  }
  return [...byToken.values()].map(({ request, error }) => ({
    tokenId: request.tokenId,
    at: request.at,
    userAgent: request.userAgent,
    idp: request.idp,
    errorAt: error?.at ?? null,
    errorStatus: error?.status ?? null,
    errorScimType: error?.scimType ?? null,
    errorDetail: error?.detail ?? null,
  }));
}

const field = (name: string) => `json_extract(j.value, '$.${name}')`;

/**
 * The two upserts that count `facts`. A row only moves forward in time: an older request written
 * after a newer one (another isolate's batch) adds to the counts but does not replace "latest".
 * (In an upsert's SET, a bare column is the row's value before the update.)
 */
export function tokenActivityStatements(d1: D1Database, facts: TokenRequestFact[]): D1PreparedStatement[] {
  if (facts.length === 0) return [];
  const newer = (excludedAt: string, at: string) => `(${at} IS NULL OR ${excludedAt} >= ${at})`;
  const keepNewest = (column: string) =>
    `${column} = CASE WHEN ${newer("excluded.last_request_at", "last_request_at")} THEN excluded.${column} ELSE ${column} END`;
  const keepNewestError = (column: string) =>
    `${column} = CASE WHEN excluded.last_error_at IS NOT NULL AND ${newer("excluded.last_error_at", "last_error_at")} THEN excluded.${column} ELSE ${column} END`;
  return [
    d1
      .prepare(
        `INSERT INTO scim_token_hours (token_id, hour, requests, errors)
         SELECT t.id, ${field("hour")}, ${field("requests")}, ${field("errors")}
         FROM json_each(?) AS j JOIN scim_tokens AS t ON t.id = ${field("tokenId")}
         WHERE true
         ON CONFLICT (token_id, hour) DO UPDATE SET requests = requests + excluded.requests, errors = errors + excluded.errors`,
      )
      .bind(JSON.stringify(hourlyCounts(facts))),
    d1
      .prepare(
        `INSERT INTO scim_token_activity (token_id, last_request_at, last_user_agent, last_idp,
           last_error_at, last_error_status, last_error_scim_type, last_error_detail)
         SELECT t.id, ${field("at")}, ${field("userAgent")}, ${field("idp")},
           ${field("errorAt")}, ${field("errorStatus")}, ${field("errorScimType")}, ${field("errorDetail")}
         FROM json_each(?) AS j JOIN scim_tokens AS t ON t.id = ${field("tokenId")}
         WHERE true
         ON CONFLICT (token_id) DO UPDATE SET
           ${["last_user_agent", "last_idp", "last_request_at"].map(keepNewest).join(",\n           ")},
           ${["last_error_status", "last_error_scim_type", "last_error_detail", "last_error_at"].map(keepNewestError).join(",\n           ")}`,
      )
      .bind(JSON.stringify(latest(facts))),
  ];
}

export interface TokenStatusRow {
  tokenId: string;
  lastRequestAt: number | null;
  lastUserAgent: string | null;
  lastIdp: string | null;
  lastErrorAt: number | null;
  lastErrorStatus: number | null;
  lastErrorScimType: string | null;
  lastErrorDetail: string | null;
  requests: number;
  errors: number;
}

/** Every token of the org with its activity and its counts in the window ending at `now`: one query. */
function tokenStatusesQuery(db: Db, orgId: string, now: number) {
  return db
    .select({
      tokenId: scimTokens.id,
      lastRequestAt: scimTokenActivity.lastRequestAt,
      lastUserAgent: scimTokenActivity.lastUserAgent,
      lastIdp: scimTokenActivity.lastIdp,
      lastErrorAt: scimTokenActivity.lastErrorAt,
      lastErrorStatus: scimTokenActivity.lastErrorStatus,
      lastErrorScimType: scimTokenActivity.lastErrorScimType,
      lastErrorDetail: scimTokenActivity.lastErrorDetail,
      requests: sql<number>`coalesce(sum(${scimTokenHours.requests}), 0)`,
      errors: sql<number>`coalesce(sum(${scimTokenHours.errors}), 0)`,
    })
    .from(scimTokens)
    .leftJoin(scimTokenActivity, eq(scimTokenActivity.tokenId, scimTokens.id))
    .leftJoin(scimTokenHours, and(eq(scimTokenHours.tokenId, scimTokens.id), gt(scimTokenHours.hour, windowStart(now) - HOUR_MS)))
    .where(eq(scimTokens.orgId, orgId))
    .groupBy(scimTokens.id);
}

/** The org's tokens (newest first) each with its status: one batch, one round trip. */
export async function listTokensWithStatus(db: Db, orgId: string, now: number): Promise<{ token: TokenRow; status: TokenStatusRow }[]> {
  const [tokens, statuses] = await db.batch([listTokens(db, orgId), tokenStatusesQuery(db, orgId, now)]);
  const byId = new Map(statuses.map((s) => [s.tokenId, s]));
  return tokens.map((token) => ({ token, status: byId.get(token.id)! }));
}

/** Drops the buckets that have left every window (for the hourly Cron Trigger); returns how many went. */
export async function pruneTokenHours(db: Db, now: number): Promise<number> {
  const result = await db.delete(scimTokenHours).where(lte(scimTokenHours.hour, windowStart(now) - HOUR_MS));
  return result.meta.changes ?? 0;
}

/**
 * A SCIM token's activity, for the connection status card (issue 17): requests and errors per hour
 * (`token_hours`) and its latest request and latest error (`token_activity`).
 *
 * Where it is kept. In the organization's ProvisioningLog Durable Object (./durable-object.ts), in its
 * own SQLite storage next to the log, and written by the same `append` transaction that adds the log
 * entries: the requests the log records are the facts being counted, so counting them costs no write
 * and no round trip of its own (the entries of a group-committed batch arrive in one RPC already), the
 * counts can never disagree with what was logged, and one organization's counters queue with nobody
 * else's. The alternative, D1 tables written in a batch of their own after the response, was rejected:
 * it would bring back the D1 write per logged batch that the log's move out of D1 removed (issue 13,
 * docs/scale.md), one more round trip per batch, and a second place that can fail independently of
 * the log. The status is read with one RPC to the same object (`tokenStatuses`), alongside the D1
 * token list.
 *
 * Counters are not the log: the log is capped at 10,000 entries and samples a rate-limited flood (one
 * 429 per 10 s per isolate, ./rate-limited.ts), while the counters count every request: a sampled 429
 * carries how many refusals before it went unrecorded (`unrecordedRefusals`), and they are added to
 * the token of that request, as requests and as errors.
 *
 * Retention: buckets that have left the window are deleted in every append's transaction and by the
 * log's alarm, so at most one window's worth of stale buckets per token ever waits (and none is read:
 * the status sums the window only). The latest request and error are one row per token, kept.
 */
import type { StoredRecord } from "./entry";

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

/** What one recorded request tells about its token (a stored log record has these fields). */
export type TokenRequestFact = Pick<StoredRecord, "tokenId" | "at" | "status" | "scimType" | "detail" | "userAgent" | "idp" | "unrecordedRefusals">;

const isError = (status: number) => status >= 400;

/** Per (token, hour): how many requests and errors, so that each bucket is upserted once per batch. */
export function hourlyCounts(facts: TokenRequestFact[]) {
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

/** Per token: its newest request, and its newest error (null when none of these erred). */
export function latestPerToken(facts: TokenRequestFact[]) {
  const byToken = new Map<string, { request: TokenRequestFact; error: TokenRequestFact | null }>();
  for (const f of facts) {
    const seen = byToken.get(f.tokenId);
    const request = !seen || f.at >= seen.request.at ? f : seen.request;
    const error = isError(f.status) && (!seen?.error || f.at >= seen.error.at) ? f : (seen?.error ?? null);
    byToken.set(f.tokenId, { request, error });
  }
  return [...byToken.values()];
}

export const TOKEN_ACTIVITY_SCHEMA = [
  // At most one window of buckets per token (plus those an append or the alarm is about to drop):
  // the retention delete by hour scans a few dozen rows per token, so no index on `hour`.
  `CREATE TABLE IF NOT EXISTS token_hours (
     token_id TEXT NOT NULL,
     hour INTEGER NOT NULL,
     requests INTEGER NOT NULL,
     errors INTEGER NOT NULL,
     PRIMARY KEY (token_id, hour)
   ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS token_activity (
     token_id TEXT PRIMARY KEY,
     last_request_at INTEGER NOT NULL,
     last_user_agent TEXT,
     last_idp TEXT,
     last_error_at INTEGER,
     last_error_status INTEGER,
     last_error_scim_type TEXT,
     last_error_detail TEXT
   ) WITHOUT ROWID`,
];

const ADD_TO_HOUR = `INSERT INTO token_hours (token_id, hour, requests, errors) VALUES (?, ?, ?, ?)
  ON CONFLICT (token_id, hour) DO UPDATE SET requests = requests + excluded.requests, errors = errors + excluded.errors`;

/**
 * A row only moves forward in time: appends from several isolates may arrive out of order, and an
 * older request written after a newer one adds to the counts but does not replace "latest". (In an
 * upsert's SET, a bare column is the row's value before the update.)
 */
const newer = (excludedAt: string, at: string) => `(${at} IS NULL OR ${excludedAt} >= ${at})`;
const keepNewest = (column: string) => `${column} = CASE WHEN ${newer("excluded.last_request_at", "last_request_at")} THEN excluded.${column} ELSE ${column} END`;
const keepNewestError = (column: string) =>
  `${column} = CASE WHEN excluded.last_error_at IS NOT NULL AND ${newer("excluded.last_error_at", "last_error_at")} THEN excluded.${column} ELSE ${column} END`;
const SET_LATEST = `INSERT INTO token_activity (token_id, last_request_at, last_user_agent, last_idp,
    last_error_at, last_error_status, last_error_scim_type, last_error_detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (token_id) DO UPDATE SET
    ${["last_user_agent", "last_idp", "last_request_at"].map(keepNewest).join(",\n    ")},
    ${["last_error_status", "last_error_scim_type", "last_error_detail", "last_error_at"].map(keepNewestError).join(",\n    ")}`;

/** Counts `facts` for their tokens; the caller runs it inside the append's transaction. */
export function countTokenActivity(sql: SqlStorage, facts: TokenRequestFact[]): void {
  for (const b of hourlyCounts(facts)) sql.exec(ADD_TO_HOUR, b.tokenId, b.hour, b.requests, b.errors);
  for (const { request, error } of latestPerToken(facts)) {
    sql.exec(
      SET_LATEST,
      request.tokenId,
      request.at,
      request.userAgent,
      request.idp,
      error?.at ?? null,
      error?.status ?? null,
      error?.scimType ?? null,
      error?.detail ?? null,
    );
  }
}

/** Drops the buckets that have left every window ending at or after `now`. */
export function pruneTokenHours(sql: SqlStorage, now: number): void {
  sql.exec("DELETE FROM token_hours WHERE hour < ?", windowStart(now));
}

/** A token's status as its organization's log object keeps it (the API shapes it: routes/api/tokens.ts). */
export type TokenStatus = {
  tokenId: string;
  lastRequestAt: number;
  lastUserAgent: string | null;
  lastIdp: string | null;
  lastErrorAt: number | null;
  lastErrorStatus: number | null;
  lastErrorScimType: string | null;
  lastErrorDetail: string | null;
  /** Requests and errors in the window ending at `now` (the current hour and the 23 before it). */
  requests: number;
  errors: number;
};

/** Every token the organization's log has seen, with its counts in the window ending at `now`. */
export function readTokenStatuses(sql: SqlStorage, now: number): TokenStatus[] {
  return sql
    .exec<TokenStatus>(
      `SELECT a.token_id AS tokenId, a.last_request_at AS lastRequestAt, a.last_user_agent AS lastUserAgent, a.last_idp AS lastIdp,
         a.last_error_at AS lastErrorAt, a.last_error_status AS lastErrorStatus, a.last_error_scim_type AS lastErrorScimType,
         a.last_error_detail AS lastErrorDetail,
         coalesce(sum(h.requests), 0) AS requests, coalesce(sum(h.errors), 0) AS errors
       FROM token_activity AS a LEFT JOIN token_hours AS h ON h.token_id = a.token_id AND h.hour >= ?
       GROUP BY a.token_id`,
      windowStart(now),
    )
    .toArray();
}

/**
 * ProvisioningLog: one organization's provisioning log, a Durable Object (`idFromName(orgId)`) with
 * its own SQLite storage. The log left the directory's D1 database (issue 13, docs/scale.md): D1 runs
 * one query at a time per database, so log writes queued with the directory's writes, and at its cap
 * the log was the largest thing in the database for most tenants. Here each organization's log has its
 * own storage (10 GB per object; the log at its cap is about 2 MB), its writes queue with nobody
 * else's, and nothing in it names the organization, because the object is the organization.
 *
 * - `append` adds the entries of one group-committed batch (./writer.ts) in one transaction, which
 *   also applies retention (./retention.ts), and makes sure an alarm is set for the oldest entry.
 * - `list` answers the log API's pages: newest first, by status class (index `(status_class, id)`),
 *   token (along the id order) and the keyset cursor `beforeId`; entries older than the age limit are
 *   never shown, whether or not they were pruned yet.
 * - `alarm` prunes by age when nothing writes (an idle organization), then sets itself for when the
 *   next entry expires, at most once per PRUNE_INTERVAL_MS, and not at all once the log is empty.
 * - The tokens' connection status (issue 17, ./token-activity.ts) lives here too: `append` counts the
 *   batch's requests per token and hour and keeps each token's latest request and error, in the same
 *   transaction as the entries (no write of its own, never out of step with the log), retention drops
 *   the hourly buckets that left the 24-hour window, and `tokenStatuses` answers the tokens API.
 *
 * Ids are AUTOINCREMENT: they only grow, also after the log was emptied, so a cursor never points into
 * a later generation of entries. Entries are only ever deleted from the oldest end, so the ids in the
 * table are contiguous and "keep the newest N" is a range delete on the primary key.
 *
 * Time. Every call carries its caller's `now` (the request's clock, which tests move), as OrgWriter
 * writes carry `at`. The object keeps the difference between that clock and its own (`skew`; zero in
 * production up to clock jitter), so that the alarm, which no caller starts, prunes in the same time
 * the entries were written in.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";
import type { LogEntry, LogQuery, StoredRecord } from "./entry";
import { LOG_MAX_AGE_MS, LOG_MAX_ENTRIES, nextPruneAt } from "./retention";
import { countTokenActivity, pruneTokenHours, readTokenStatuses, TOKEN_ACTIVITY_SCHEMA, type TokenStatus } from "./token-activity";

const SCHEMA = [
  `CREATE TABLE IF NOT EXISTS log (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     at INTEGER NOT NULL,
     method TEXT NOT NULL,
     path TEXT NOT NULL,
     query TEXT,
     ops TEXT,
     status INTEGER NOT NULL,
     status_class INTEGER NOT NULL,
     scim_type TEXT,
     detail TEXT,
     duration_ms INTEGER NOT NULL,
     user_agent TEXT,
     token_id TEXT,
     idp TEXT
   )`,
  "CREATE INDEX IF NOT EXISTS log_class ON log (status_class, id)",
  "CREATE TABLE IF NOT EXISTS clock (id INTEGER PRIMARY KEY CHECK (id = 1), skew INTEGER NOT NULL)",
  ...TOKEN_ACTIVITY_SCHEMA,
];

const INSERT = `INSERT INTO log (at, method, path, query, ops, status, status_class, scim_type, detail, duration_ms, user_agent, token_id, idp)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

const COLUMNS = `id, at, method, path, query, ops, status, scim_type AS scimType, detail, duration_ms AS durationMs,
  user_agent AS userAgent, token_id AS tokenId, idp`;

/** A caller's clock this far from the last one seen is a moved clock (tests), not jitter: it is kept. */
const SKEW_STEP_MS = 1_000;
const MAX_PAGE = 1_000;

export class ProvisioningLog extends DurableObject<Env> {
  private readonly sql: SqlStorage;
  private skew: number;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    for (const statement of SCHEMA) this.sql.exec(statement);
    this.skew = this.sql.exec<{ skew: number }>("SELECT skew FROM clock").toArray()[0]?.skew ?? 0;
  }

  /** Adds one batch of entries, oldest first, counts them for their tokens and applies retention, in one transaction. */
  async append(records: StoredRecord[], now: number): Promise<void> {
    this.follow(now);
    this.ctx.storage.transactionSync(() => {
      for (const r of records) {
        this.sql.exec(
          INSERT,
          r.at,
          r.method,
          r.path,
          r.query,
          r.operations ? JSON.stringify(r.operations) : null,
          r.status,
          Math.floor(r.status / 100),
          r.scimType,
          r.detail,
          r.durationMs,
          r.userAgent,
          r.tokenId,
          r.idp,
        );
      }
      countTokenActivity(this.sql, records);
      this.prune(now);
    });
    if ((await this.ctx.storage.getAlarm()) === null) await this.arm();
  }

  /** One page, newest first. */
  list(query: LogQuery, now: number): LogEntry[] {
    this.follow(now);
    const where = ["at >= ?"];
    const params: (string | number)[] = [now - LOG_MAX_AGE_MS];
    if (query.statusClass !== undefined) {
      where.push("status_class = ?");
      params.push(query.statusClass);
    }
    if (query.tokenId !== undefined) {
      where.push("token_id = ?");
      params.push(query.tokenId);
    }
    if (query.beforeId !== undefined) {
      where.push("id < ?");
      params.push(query.beforeId);
    }
    const limit = Math.min(Math.max(1, Math.floor(query.limit)), MAX_PAGE);
    return this.sql.exec<LogEntry>(`SELECT ${COLUMNS} FROM log WHERE ${where.join(" AND ")} ORDER BY id DESC LIMIT ?`, ...params, limit).toArray();
  }

  /** Every token this log has seen: its latest request and error, its requests and errors in the 24 hours up to `now`. */
  tokenStatuses(now: number): TokenStatus[] {
    this.follow(now);
    return readTokenStatuses(this.sql, now);
  }

  /** Retention for an organization that stopped writing. */
  override async alarm(): Promise<void> {
    const now = this.now();
    this.ctx.storage.transactionSync(() => this.prune(now));
    await this.arm();
  }

  private now(): number {
    return Date.now() + this.skew;
  }

  /** Takes on the caller's clock when it has moved (see "Time" above). */
  private follow(now: number) {
    const skew = now - Date.now();
    if (Math.abs(skew - this.skew) < SKEW_STEP_MS) return;
    this.skew = skew;
    this.sql.exec("INSERT INTO clock (id, skew) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET skew = excluded.skew", skew);
  }

  /**
   * Drops entries older than the age limit — every entry before the first one young enough to keep
   * (ids follow time), so only the dropped rows and one more are read — then all but the newest
   * LOG_MAX_ENTRIES (ids are contiguous, see above); and the tokens' hourly buckets older than their window.
   */
  private prune(now: number) {
    this.sql.exec(
      `DELETE FROM log WHERE id < coalesce(
         (SELECT id FROM log WHERE at >= ? ORDER BY id LIMIT 1),
         (SELECT coalesce(max(id), 0) + 1 FROM log))`,
      now - LOG_MAX_AGE_MS,
    );
    this.sql.exec("DELETE FROM log WHERE id <= (SELECT max(id) FROM log) - ?", LOG_MAX_ENTRIES);
    pruneTokenHours(this.sql, now);
  }

  /** Sets the alarm for when the oldest entry expires; none when the log is empty. */
  private async arm() {
    const oldest = this.sql.exec<{ at: number }>("SELECT at FROM log ORDER BY id LIMIT 1").toArray()[0];
    if (!oldest) return;
    await this.ctx.storage.setAlarm(nextPruneAt(oldest.at, this.now()) - this.skew);
  }
}

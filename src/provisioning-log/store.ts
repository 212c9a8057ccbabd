/**
 * Storage of the provisioning log (table `scim_log`). Every query is scoped by org and walks the
 * (org_id, id) or (org_id, status_class, id) index; ids increase with time, so "newest first" is
 * "id descending" and a page cursor is the last id seen.
 */
import { and, desc, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { scimLog } from "../db/schema";
import { tokenActivityStatements } from "../db/token-activity";
import type { LogRecord } from "./record";

export type LogEntryRow = typeof scimLog.$inferSelect;

/*
 * Writes are D1 prepared statements batched through the binding: drizzle 0.45 drops the bindings of
 * raw-SQL items inside db.batch on D1, and these statements need raw SQL (json_each).
 */

/**
 * One statement for any number of entries: they travel as one JSON parameter. The token's
 * description is copied from its row as the entry is written (so the request path never reads it),
 * and it labels the IdP when the request did not name one. An entry whose token no longer exists
 * (its org was deleted) is not written. Ids follow the entries' order, so "newest first" holds.
 */
function insertEntries(d1: D1Database, records: LogRecord[]) {
  const rows = records.map((r) => ({ ...r, ops: r.operations ? JSON.stringify(r.operations) : null }));
  const field = (name: string) => `json_extract(j.value, '$.${name}')`;
  return d1
    .prepare(
      `INSERT INTO scim_log (org_id, at, method, path, query, ops, status, status_class, scim_type, detail,
         duration_ms, user_agent, token_id, token_description, idp)
       SELECT t.org_id, ${field("at")}, ${field("method")}, ${field("path")}, ${field("query")}, ${field("ops")},
         ${field("status")}, ${field("status")} / 100, ${field("scimType")}, ${field("detail")}, ${field("durationMs")},
         ${field("userAgent")}, t.id, t.description, coalesce(${field("idp")}, t.description)
       FROM json_each(?) AS j
       JOIN scim_tokens AS t ON t.id = ${field("tokenId")} AND t.org_id = ${field("orgId")}
       ORDER BY j.key`,
    )
    .bind(JSON.stringify(rows));
}

/** Deletes the org's entries older than the first one at or after `cutoff` (ids follow time). */
function pruneByAge(d1: D1Database, orgId: string, cutoff: number) {
  return d1
    .prepare(
      `DELETE FROM scim_log WHERE org_id = ?1 AND id < coalesce(
         (SELECT id FROM scim_log WHERE org_id = ?1 AND at >= ?2 ORDER BY id LIMIT 1), 9223372036854775807)`,
    )
    .bind(orgId, cutoff);
}

/** Keeps the org's newest `keep` entries. */
function pruneByCount(d1: D1Database, orgId: string, keep: number) {
  return d1
    .prepare(
      `DELETE FROM scim_log WHERE org_id = ?1 AND id <= (SELECT id FROM scim_log WHERE org_id = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2)`,
    )
    .bind(orgId, keep);
}

export interface PruneLimits {
  cutoff: number;
  maxEntries: number;
}

/**
 * Writes entries in one statement, and in the same batch counts them for their tokens (the
 * connection status: db/token-activity) and, for each org in `prune`, applies its retention.
 */
export async function writeLogEntries(db: Db, records: LogRecord[], prune: Map<string, PruneLimits>): Promise<void> {
  const d1 = db.$client;
  const statements = [insertEntries(d1, records), ...tokenActivityStatements(d1, records)];
  for (const [orgId, limits] of prune) {
    statements.push(pruneByAge(d1, orgId, limits.cutoff), pruneByCount(d1, orgId, limits.maxEntries));
  }
  await d1.batch(statements);
}

export interface LogQuery {
  statusClass?: number;
  /** Only one token's entries (read along the org's index, at most the 10,000 entries an org keeps). */
  tokenId?: string;
  /** Only entries with a smaller id (the keyset cursor). */
  beforeId?: number;
  /** Only entries at or after this instant. */
  since: number;
  limit: number;
}

/** One statement per page, newest first. */
export function listLogEntries(db: Db, orgId: string, q: LogQuery): Promise<LogEntryRow[]> {
  const conditions: SQL[] = [eq(scimLog.orgId, orgId), gte(scimLog.at, q.since)];
  if (q.statusClass !== undefined) conditions.push(eq(scimLog.statusClass, q.statusClass));
  if (q.tokenId !== undefined) conditions.push(eq(scimLog.tokenId, q.tokenId));
  if (q.beforeId !== undefined) conditions.push(lt(scimLog.id, q.beforeId));
  return db
    .select()
    .from(scimLog)
    .where(and(...conditions))
    .orderBy(desc(scimLog.id))
    .limit(q.limit);
}

/**
 * Deletes expired entries of every org, oldest first, at most `chunk` ids per statement so that no
 * single statement runs long; returns how many rows went. For the scheduled clean-up.
 */
export async function pruneExpiredLogEntries(db: Db, cutoff: number, chunk: number): Promise<number> {
  const result = await db.run(sql`
    DELETE FROM scim_log
    WHERE id < min(
      coalesce((SELECT id FROM scim_log WHERE at >= ${cutoff} ORDER BY id LIMIT 1),
               (SELECT coalesce(max(id), 0) + 1 FROM scim_log)),
      (SELECT coalesce(min(id), 0) FROM scim_log) + ${chunk})`);
  return result.meta.changes ?? 0;
}

/**
 * Queries for the provisioning log (`scim_log`). Every query is scoped by org and walks the
 * (org_id, id) or (org_id, status_class, id) index; ids increase with time, so "newest first" is
 * "id descending" and a page cursor is the last id seen.
 */
import { and, desc, eq, gte, lt, lte, sql, type SQL } from "drizzle-orm";
import type { LogRecord } from "../provisioning-log/record";
import type { Db } from "./client";
import { scimLog, scimTokens } from "./schema";

export type ScimLogRow = typeof scimLog.$inferSelect;

/**
 * One statement: the token's description is copied from its row as the entry is written (so the
 * request path never reads it), and it labels the IdP when the request did not name one. An entry
 * whose token no longer exists (its org was deleted) is not written.
 */
function insertEntry(db: Db, r: LogRecord) {
  const value = (v: string | number | null, column: string) => sql`${v}`.as(column);
  // Keys in the table's column order: drizzle checks them against the table definition.
  const values = db
    .select({
      id: sql`null`.as("id"),
      orgId: value(r.orgId, "org_id"),
      at: value(r.at, "at"),
      method: value(r.method, "method"),
      path: value(r.path, "path"),
      query: value(r.query, "query"),
      ops: value(r.operations ? JSON.stringify(r.operations) : null, "ops"),
      status: value(r.status, "status"),
      statusClass: value(Math.floor(r.status / 100), "status_class"),
      scimType: value(r.scimType, "scim_type"),
      detail: value(r.detail, "detail"),
      durationMs: value(r.durationMs, "duration_ms"),
      userAgent: value(r.userAgent, "user_agent"),
      tokenId: scimTokens.id,
      tokenDescription: scimTokens.description,
      idp: sql`coalesce(${r.idp}, ${scimTokens.description})`.as("idp"),
    })
    .from(scimTokens)
    .where(and(eq(scimTokens.id, r.tokenId), eq(scimTokens.orgId, r.orgId)));
  return db.insert(scimLog).select(values);
}

/** Deletes the org's entries older than the first one at or after `cutoff` (ids follow time). */
function pruneByAge(db: Db, orgId: string, cutoff: number) {
  const firstKept = sql`(SELECT id FROM scim_log WHERE org_id = ${orgId} AND at >= ${cutoff} ORDER BY id LIMIT 1)`;
  return db
    .delete(scimLog)
    .where(and(eq(scimLog.orgId, orgId), lt(scimLog.id, sql`coalesce(${firstKept}, 9223372036854775807)`)));
}

/** Keeps the org's newest `keep` entries. */
function pruneByCount(db: Db, orgId: string, keep: number) {
  const lastDropped = sql`(SELECT id FROM scim_log WHERE org_id = ${orgId} ORDER BY id DESC LIMIT 1 OFFSET ${keep})`;
  return db.delete(scimLog).where(and(eq(scimLog.orgId, orgId), lte(scimLog.id, lastDropped)));
}

export interface PruneLimits {
  cutoff: number;
  maxEntries: number;
}

/** Writes one entry; with `prune`, also applies the org's retention in the same batch. */
export async function writeLogEntry(db: Db, record: LogRecord, prune: PruneLimits | null): Promise<void> {
  const insert = insertEntry(db, record);
  if (!prune) {
    await insert;
    return;
  }
  await db.batch([
    insert,
    pruneByAge(db, record.orgId, prune.cutoff),
    pruneByCount(db, record.orgId, prune.maxEntries),
  ]);
}

export interface LogQuery {
  statusClass?: number;
  /** Only entries with a smaller id (the keyset cursor). */
  beforeId?: number;
  /** Only entries at or after this instant. */
  since: number;
  limit: number;
}

/** One statement per page, newest first. */
export function listLogEntries(db: Db, orgId: string, q: LogQuery): Promise<ScimLogRow[]> {
  const conditions: SQL[] = [eq(scimLog.orgId, orgId), gte(scimLog.at, q.since)];
  if (q.statusClass !== undefined) conditions.push(eq(scimLog.statusClass, q.statusClass));
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

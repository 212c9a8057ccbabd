/**
 * The operator's audit trail (table audit_log): appended by the admin API after each write that
 * succeeded, read newest first in keyset pages on the id. Nothing here updates a row; retention
 * deletes only rows older than AUDIT_RETENTION_MS, and the table's triggers refuse anything younger
 * than a year (drizzle/0007_audit_log.sql).
 */
import { and, desc, eq, lt, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { auditLog } from "./schema";

export type AuditRow = typeof auditLog.$inferSelect;
export type NewAuditRow = Omit<AuditRow, "id">;

const DAY_MS = 86_400_000;
/** More than a year, so that "kept at least a year" holds with room to spare. */
export const AUDIT_RETENTION_MS = 400 * DAY_MS;
const PRUNE_CHUNK = 500;

export async function insertAuditEntry(db: Db, row: NewAuditRow): Promise<void> {
  await db.insert(auditLog).values(row);
}

export function listAuditEntries(db: Db, query: { orgId?: string; beforeId?: number; limit: number }): Promise<AuditRow[]> {
  const conditions: SQL[] = [];
  if (query.orgId !== undefined) conditions.push(eq(auditLog.orgId, query.orgId));
  if (query.beforeId !== undefined) conditions.push(lt(auditLog.id, query.beforeId));
  return db
    .select()
    .from(auditLog)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(query.limit);
}

/** Deletes rows older than the retention, oldest first, in bounded chunks; returns how many. */
export async function pruneAuditLog(db: Db, now: number, maxChunks = 10): Promise<number> {
  let removed = 0;
  for (let i = 0; i < maxChunks; i++) {
    const result = await db.$client
      .prepare(`DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log WHERE at < ? ORDER BY id LIMIT ?)`)
      .bind(now - AUDIT_RETENTION_MS, PRUNE_CHUNK)
      .run();
    removed += result.meta.changes;
    if (result.meta.changes < PRUNE_CHUNK) break;
  }
  return removed;
}

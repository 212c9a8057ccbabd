/**
 * How an entry reaches storage: concurrent requests' entries share one D1 write (group commit, see
 * src/lib/group-commit.ts), and retention rides along on some of those writes (./retention).
 */
import type { Db } from "../db/client";
import { groupCommit } from "../lib/group-commit";
import type { LogRecord } from "./record";
import { LOG_MAX_AGE_MS, LOG_MAX_ENTRIES, pruneDue } from "./retention";
import { writeLogEntries, type PruneLimits } from "./store";

/** Records one entry; resolves once the write that carries it has landed (call it after the response). */
export const recordEntry = groupCommit<LogRecord, Db>((records, db) => {
  const newest = new Map<string, { at: number; entries: number }>();
  for (const r of records) {
    const seen = newest.get(r.orgId);
    newest.set(r.orgId, { at: Math.max(r.at, seen?.at ?? 0), entries: (seen?.entries ?? 0) + 1 });
  }
  const prune = new Map<string, PruneLimits>();
  for (const [orgId, { at, entries }] of newest) {
    if (pruneDue(orgId, entries)) prune.set(orgId, { cutoff: at - LOG_MAX_AGE_MS, maxEntries: LOG_MAX_ENTRIES });
  }
  return writeLogEntries(db, records, prune);
});

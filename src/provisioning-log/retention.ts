/**
 * Retention of the provisioning log: 7 days or 10,000 entries per organization, whichever is smaller.
 *
 * Pruning never costs a request work proportional to the log: the log is written from
 * ctx.waitUntil, and only some writes prune (an org's first write in an isolate and every
 * PRUNE_EVERY_WRITES-th after it), with two statements that walk the (org_id, id) index — by age, up
 * to the first entry young enough to keep; by count, over at most LOG_MAX_ENTRIES index entries. An
 * hourly Cron Trigger removes expired entries of organizations that have stopped writing, and the log
 * API never shows entries older than LOG_MAX_AGE_MS, so between prunes the cap is exceeded by at most
 * a few hundred rows that nobody sees past 7 days.
 */
import type { Db } from "../db/client";
import { pruneExpiredLogEntries } from "./store";

export const LOG_MAX_AGE_MS = 7 * 86_400_000;
export const LOG_MAX_ENTRIES = 10_000;
export const PRUNE_EVERY_WRITES = 100;

const writesSincePrune = new Map<string, number>();

/**
 * Whether a write of `entries` entries for the org should also prune its log. Per isolate; forgets
 * when it grows large.
 */
export function pruneDue(orgId: string, entries = 1): boolean {
  const writes = writesSincePrune.get(orgId);
  if (writes !== undefined && writes + entries < PRUNE_EVERY_WRITES) {
    writesSincePrune.set(orgId, writes + entries);
    return false;
  }
  if (writesSincePrune.size >= 10_000) writesSincePrune.clear();
  writesSincePrune.set(orgId, 0);
  return true;
}

const EXPIRED_CHUNK = 5_000;
/** Keeps one run far below the 1,000 statements a Worker invocation may send to D1. */
const MAX_EXPIRED_STATEMENTS = 200;

/** The scheduled clean-up: removes every org's entries older than LOG_MAX_AGE_MS; returns how many went. */
export async function pruneExpiredEntries(db: Db, now: number): Promise<number> {
  let removed = 0;
  for (let i = 0; i < MAX_EXPIRED_STATEMENTS; i++) {
    const deleted = await pruneExpiredLogEntries(db, now - LOG_MAX_AGE_MS, EXPIRED_CHUNK);
    if (deleted === 0) break;
    removed += deleted;
  }
  return removed;
}

/**
 * Retention of the provisioning log: 7 days or 10,000 entries per organization, whichever is smaller.
 * There is no per-organization override.
 *
 * Each organization's log is its own Durable Object (./durable-object.ts), so retention is that
 * object's own work and never scans another organization's entries: every write applies both limits
 * in the transaction that adds the entries, and an alarm prunes by age when no write comes (an idle
 * organization's log empties within LOG_MAX_AGE_MS + PRUNE_INTERVAL_MS of its last entry). The log
 * API never shows entries older than LOG_MAX_AGE_MS, so the alarm's slack is never visible.
 */
export const LOG_MAX_AGE_MS = 7 * 86_400_000;
export const LOG_MAX_ENTRIES = 10_000;
/** The alarm runs at most this often: a busy log's oldest entry expires continuously. */
export const PRUNE_INTERVAL_MS = 3_600_000;

/** When the log whose oldest entry was made at `oldestAt` next needs pruning by age, in the log's time. */
export function nextPruneAt(oldestAt: number, now: number): number {
  return Math.max(oldestAt + LOG_MAX_AGE_MS, now + PRUNE_INTERVAL_MS);
}

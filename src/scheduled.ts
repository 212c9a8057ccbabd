/**
 * The Cron Trigger's work (wrangler.toml `[triggers]`): retention for data that is pruned on write
 * only while it is being written — the provisioning log of organizations that went quiet, and
 * expired console and user sessions.
 */
import { deleteExpiredUserSessions } from "./db/account-setup";
import type { Db } from "./db/client";
import { deleteExpiredConsoleSessions } from "./db/console-sessions";
import { pruneExpiredLogEntries } from "./db/scim-log";
import { LOG_MAX_AGE_MS } from "./provisioning-log/retention";

const LOG_PRUNE_CHUNK = 5_000;
/** Keeps one run far below the 1,000 statements a Worker invocation may send to D1. */
const MAX_LOG_PRUNE_STATEMENTS = 200;

export async function runMaintenance(db: Db, now: number) {
  let logEntries = 0;
  for (let i = 0; i < MAX_LOG_PRUNE_STATEMENTS; i++) {
    const deleted = await pruneExpiredLogEntries(db, now - LOG_MAX_AGE_MS, LOG_PRUNE_CHUNK);
    if (deleted === 0) break;
    logEntries += deleted;
  }
  const consoleSessions = await deleteExpiredConsoleSessions(db, now);
  const userSessions = await deleteExpiredUserSessions(db, now);
  return { logEntries, consoleSessions, userSessions };
}

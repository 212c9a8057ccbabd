/**
 * The Cron Trigger's work (wrangler.toml `[triggers]`): retention for data that is pruned on write
 * only while it is being written — the provisioning log of organizations that went quiet, and
 * expired console and user sessions; single sign-on's expired flows, spent assertion ids and old refusals.
 */
import { deleteExpiredUserSessions } from "./db/account-setup";
import type { Db } from "./db/client";
import { deleteExpiredConsoleSessions } from "./db/console-sessions";
import { deleteExpiredSsoRows } from "./db/sso";
import { pruneExpiredEntries } from "./provisioning-log/retention";

export async function runMaintenance(db: Db, now: number) {
  const logEntries = await pruneExpiredEntries(db, now);
  const consoleSessions = await deleteExpiredConsoleSessions(db, now);
  const userSessions = await deleteExpiredUserSessions(db, now);
  const ssoRows = await deleteExpiredSsoRows(db, now);
  return { logEntries, consoleSessions, userSessions, ssoRows };
}

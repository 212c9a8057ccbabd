/**
 * The Cron Trigger's work (wrangler.toml `[triggers]`): retention for data that is pruned on write
 * only while it is being written — expired console and user sessions; single sign-on's expired flows,
 * spent assertion ids and old refusals; audit entries older than 400 days; directory events and webhook
 * delivery records older than 30 days — and one chunk of the userName keys migration 0005 left to the
 * Worker (none once they are done: the pending rows have a partial index).
 */
import { deleteExpiredUserSessions } from "./db/account-setup";
import { pruneAuditLog } from "./db/audit";
import type { Db } from "./db/client";
import { deleteExpiredConsoleSessions } from "./db/console-sessions";
import { deleteExpiredSsoRows } from "./db/sso";
import { rekeyPendingUserNames } from "./db/user-name-keys";
import { pruneDeliveries } from "./db/webhooks";
import { EVENT_RETENTION_MS } from "./events/pull";
import { pruneExpiredEvents } from "./events/retention";

export async function runMaintenance(db: Db, now: number) {
  const consoleSessions = await deleteExpiredConsoleSessions(db, now);
  const userSessions = await deleteExpiredUserSessions(db, now);
  const ssoRows = await deleteExpiredSsoRows(db, now);
  const userNameKeys = await rekeyPendingUserNames(db, now);
  const auditEntries = await pruneAuditLog(db, now);
  const events = await pruneExpiredEvents(db.$client, now);
  const webhookDeliveries = await pruneDeliveries(db.$client, now - EVENT_RETENTION_MS);
  return { consoleSessions, userSessions, ssoRows, userNameKeys, auditEntries, events, webhookDeliveries };
}

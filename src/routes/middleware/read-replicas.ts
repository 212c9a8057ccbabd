/**
 * D1 read replication for SCIM resource requests (on when `D1_READ_REPLICATION = "on"`; otherwise
 * every query goes to the primary, as without this middleware).
 *
 * - A read request (GET, POST /.search) asks the location's bookmark store for the organization's
 *   latest bookmark. Found: its reads use a session from that bookmark, which a nearby replica serves
 *   once it has caught up to it (read-your-writes for an identity provider writing and reading from
 *   the same location). Not found: a session whose first query goes to the primary.
 * - A read that finds nothing on a replica is confirmed on the primary (`reads.confirmAbsent`): the
 *   bookmark is only the latest write known in this location, so replica lag must never turn into a
 *   false 404 or a duplicate create.
 * - A write request reads and writes on the primary, its batches through a session so that their
 *   bookmark (or the OrgWriter's) can be stored before the response leaves, for the org's next reads.
 */
import { createMiddleware } from "hono/factory";
import { primaryWithBookmark } from "../../db/bookmarks";
import { database } from "../../db/client";
import type { AppEnv } from "../context";

function isRead(method: string, path: string): boolean {
  return method === "GET" || method === "HEAD" || (method === "POST" && path.endsWith("/.search"));
}

/** Bookmarks of one database are ordered as strings (the runtime's own sessions compare them so). */
function later(a: string | null | undefined, b: string | null | undefined): string | undefined {
  if (!a) return b ?? undefined;
  if (!b) return a;
  return a.localeCompare(b) < 0 ? b : a;
}

export const readReplicas = createMiddleware<AppEnv>(async (c, next) => {
  const replication = c.var.replication;
  if (!replication) {
    c.set("reads", { db: c.var.db });
    return next();
  }
  const { d1, bookmarks } = replication;
  const orgId = c.var.orgId;
  if (isRead(c.req.method, c.req.path)) {
    const bookmark = await bookmarks.get(orgId);
    const session = d1.withSession(bookmark ?? "first-primary") as unknown as D1Database;
    c.set("reads", { db: database(session), confirmAbsent: bookmark ? c.var.db : undefined });
    return next();
  }
  const primary = primaryWithBookmark(d1);
  const writes = database(primary.d1);
  c.set("db", writes);
  c.set("reads", { db: writes });
  await next();
  const bookmark = later(primary.bookmark(), c.var.writerBookmark);
  if (bookmark && c.res.status < 400) await bookmarks.put(orgId, bookmark);
});

/** The per-request variables every route reads: the clock (injected by tests) and the database. */
import { createMiddleware } from "hono/factory";
import { cacheBookmarkStore, type BookmarkStore } from "../../db/bookmarks";
import { database } from "../../db/client";
import type { Clock } from "../../lib/clock";
import type { AppEnv } from "../context";

export type { BookmarkStore };
export const defaultBookmarkStore = cacheBookmarkStore;

/**
 * `wrapD1` is createApp's injection point (AppOptions.wrapD1); identity when absent. `db` is the
 * binding itself: every query goes to the primary. With read replication on, the SCIM routes add
 * sessions on top (middleware/read-replicas); nothing else (admin API, console) reads from a replica.
 */
export function requestContext(clock: Clock, wrapD1: (db: D1Database) => D1Database = (db) => db, bookmarks?: BookmarkStore) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("clock", clock);
    const d1 = wrapD1(c.env.DB);
    c.set("db", database(d1));
    if (bookmarks && c.env.D1_READ_REPLICATION === "on") c.set("replication", { d1, bookmarks });
    await next();
  });
}

/** The per-request variables every route reads: the clock (injected by tests) and the database. */
import { createMiddleware } from "hono/factory";
import { database } from "../../db/client";
import type { Clock } from "../../lib/clock";
import type { AppEnv } from "../context";

/** `wrapD1` is createApp's injection point (AppOptions.wrapD1); identity when absent. */
export function requestContext(clock: Clock, wrapD1: (db: D1Database) => D1Database = (db) => db) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("clock", clock);
    c.set("db", database(wrapD1(c.env.DB)));
    await next();
  });
}

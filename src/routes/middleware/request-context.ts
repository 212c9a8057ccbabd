/** The per-request variables every route reads: the clock (injected by tests) and the database. */
import { createMiddleware } from "hono/factory";
import { database } from "../../db/client";
import type { Clock } from "../../lib/clock";
import type { AppEnv } from "../context";

export function requestContext(clock: Clock) {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("clock", clock);
    c.set("db", database(c.env.DB));
    await next();
  });
}

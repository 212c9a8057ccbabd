/** Admin API: operator-level counters (e.g. SCIM requests with unknown tokens, which belong to no org). */
import { Hono } from "hono";
import { listCounters } from "../../db/counters";
import { isoTime } from "../../lib/clock";
import type { AppEnv } from "../context";

export const counterRoutes = new Hono<AppEnv>().get("/", async (c) =>
  c.json({
    counters: (await listCounters(c.var.db)).map((r) => ({ name: r.name, value: r.value, updatedAt: isoTime(r.updatedAt) })),
  }),
);

/** The JSON admin API under /api/v1. */
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { consoleSessionRoutes } from "./console-session";
import { counterRoutes } from "./counters";
import { requireOperator } from "./operator-auth";
import { orgRoutes } from "./orgs";
import { scimLogRoutes } from "./scim-log";
import { tokenRoutes } from "./tokens";

export const apiRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    await next();
    // Admin data (tokens, session CSRF tokens, the log) is never for a cache, shared or private.
    if (!c.res.headers.has("Cache-Control")) c.res.headers.set("Cache-Control", "no-store");
  })
  .use(requireOperator)
  .route("/console/session", consoleSessionRoutes)
  .route("/counters", counterRoutes)
  .route("/orgs", orgRoutes)
  .route("/orgs/:orgId/scim/tokens", tokenRoutes)
  .route("/orgs/:orgId/scim/log", scimLogRoutes);

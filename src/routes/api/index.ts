/** The JSON admin API under /api/v1. */
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { requireOperator } from "./operator-auth";
import { orgRoutes } from "./orgs";
import { tokenRoutes } from "./tokens";

export const apiRoutes = new Hono<AppEnv>()
  .use(requireOperator)
  .route("/orgs", orgRoutes)
  .route("/orgs/:orgId/scim/tokens", tokenRoutes);

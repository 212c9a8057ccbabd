/** The JSON admin API under /api/v1, and the two routers of provisioned people that live beside it. */
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { meRoutes } from "./me";
import { requireOperator } from "./operator-auth";
import { orgRoutes } from "./orgs";
import { setupRoutes } from "./setup";
import { tokenRoutes } from "./tokens";
import { userRoutes } from "./users";

export const apiRoutes = new Hono<AppEnv>()
  // People finishing setup authenticate with their setup link or session, never as the operator, so
  // these are registered before the operator check: their handlers answer before it would run.
  .route("/setup", setupRoutes)
  .route("/me", meRoutes)
  .use(requireOperator)
  .route("/orgs", orgRoutes)
  .route("/orgs/:orgId/scim/tokens", tokenRoutes)
  .route("/orgs/:orgId/users", userRoutes);

/** The JSON admin API under /api/v1, and the two routers of provisioned people that live beside it. */
import { Hono } from "hono";
import type { AppEnv } from "../context";
import { auditRoutes } from "./audit";
import { consoleSessionRoutes } from "./console-session";
import { counterRoutes } from "./counters";
import { eventRoutes } from "./events";
import { groupRoutes } from "./groups";
import { maintenanceRoutes } from "./maintenance";
import { meRoutes } from "./me";
import { noStore } from "../middleware/no-store";
import { requireOperator } from "../middleware/operator-auth";
import { orgRoutes } from "./orgs";
import { provisioningLogRoutes } from "./provisioning-log";
import { rateLimitRoutes } from "./rate-limits";
import { setupRoutes } from "./setup";
import { ssoRoutes } from "./sso";
import { tokenRoutes } from "./tokens";
import { userRoutes } from "./users";
import { webhookRoutes } from "./webhooks";

export const apiRoutes = new Hono<AppEnv>()
  // Admin data (tokens, session CSRF tokens, the log) is never for a cache, shared or private.
  .use(noStore)
  // People finishing setup authenticate with their setup link or session, never as the operator, so
  // these are registered before the operator check: their handlers answer before it would run.
  .route("/setup", setupRoutes)
  .route("/me", meRoutes)
  .use(requireOperator)
  .route("/console/session", consoleSessionRoutes)
  .route("/audit", auditRoutes)
  .route("/counters", counterRoutes)
  .route("/maintenance", maintenanceRoutes)
  .route("/orgs", orgRoutes)
  .route("/orgs/:orgId/scim/tokens", tokenRoutes)
  .route("/orgs/:orgId/scim/log", provisioningLogRoutes)
  .route("/orgs/:orgId/rate-limits", rateLimitRoutes)
  .route("/orgs/:orgId/users", userRoutes)
  .route("/orgs/:orgId/groups", groupRoutes)
  .route("/orgs/:orgId/sso", ssoRoutes)
  .route("/orgs/:orgId/events", eventRoutes)
  .route("/orgs/:orgId/webhooks", webhookRoutes);

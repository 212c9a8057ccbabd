import { createMiddleware } from "hono/factory";
import { findOrg } from "../../db/orgs";
import type { AppEnv } from "../context";
import { ApiError } from "../api/errors";

/** For routers mounted under /orgs/:orgId: an unknown org answers 404 before any handler runs. */
export const requireOrg = createMiddleware<AppEnv>(async (c, next) => {
  if (!(await findOrg(c.var.db, c.req.param("orgId")!))) throw ApiError.notFound("Organization");
  await next();
});

import { createMiddleware } from "hono/factory";
import { bearerToken, checkAdminToken } from "../../auth/operator";
import type { AppEnv } from "../context";
import { ApiError } from "./errors";

/** Requires the operator credential on every admin API request. */
export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  const check = await checkAdminToken(c.env.ADMIN_TOKEN, bearerToken(c.req.header("Authorization")));
  if (check === "not_configured") {
    throw ApiError.unauthorized("The admin API is disabled: ADMIN_TOKEN is not set or shorter than 32 characters");
  }
  if (check !== "ok") throw ApiError.unauthorized();
  await next();
});

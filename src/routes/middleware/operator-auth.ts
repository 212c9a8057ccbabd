/**
 * Operator authentication for the whole admin API, in one place. Two credentials are accepted:
 * - `Authorization: Bearer <ADMIN_TOKEN>` (scripts, curl); when the header is present it decides alone;
 * - the console session cookie. A cookie is sent by the browser on its own, so a cookie-authenticated
 *   request that changes anything must also prove it comes from a console page: a same-origin
 *   `Origin` and the session's `X-CSRF-Token` (see src/auth/console-sessions.ts).
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { csrfTokenMatches } from "../../auth/console-sessions";
import { adminTokenConfigured, bearerToken, checkAdminToken } from "../../auth/operator";
import { currentConsoleSession, isSameOrigin } from "../console-session";
import type { AppEnv, OperatorIdentity } from "../context";
import { ApiError } from "../api/errors";

const READ_ONLY_METHODS = new Set(["GET", "HEAD"]);

const disabled = () =>
  ApiError.unauthorized("The admin API is disabled: ADMIN_TOKEN is not set or shorter than 32 characters");

async function viaBearer(c: Context<AppEnv>, header: string): Promise<OperatorIdentity> {
  const check = await checkAdminToken(c.env.ADMIN_TOKEN, bearerToken(header));
  if (check === "not_configured") throw disabled();
  if (check !== "ok") throw ApiError.unauthorized();
  return { via: "bearer" };
}

async function viaConsoleSession(c: Context<AppEnv>): Promise<OperatorIdentity> {
  if (!adminTokenConfigured(c.env.ADMIN_TOKEN)) throw disabled();
  const session = await currentConsoleSession(c);
  if (!session) throw ApiError.unauthorized();
  if (!READ_ONLY_METHODS.has(c.req.method)) {
    if (!isSameOrigin(c)) throw ApiError.forbidden("origin_mismatch", "Cross-origin request refused: Origin must be this service");
    if (!(await csrfTokenMatches(session.row, c.req.header("X-CSRF-Token")))) {
      throw ApiError.forbidden("csrf_failed", "Missing or invalid X-CSRF-Token for this console session");
    }
  }
  return { via: "console", sessionId: session.id };
}

export const requireOperator = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization");
  c.set("operator", header !== undefined ? await viaBearer(c, header) : await viaConsoleSession(c));
  await next();
});

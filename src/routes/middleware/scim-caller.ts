/**
 * Who is calling the SCIM API, in two steps:
 * - `identifyScimCaller` resolves a presented bearer token once per request, for every SCIM path
 *   (discovery included), and records it in `c.var.scimToken` without refusing anything — the
 *   provisioning log needs to know whose request it was, also when the request is then refused;
 * - `scimAuth` enforces that resolution on the endpoints that need a token: the org comes from the
 *   token only.
 */
import { createMiddleware } from "hono/factory";
import { bearerToken } from "../../auth/operator";
import { hashToken, recordTokenUse, resolveScimToken } from "../../auth/scim-tokens";
import { requestClass } from "../../services/rate-limits";
import { ScimError } from "../../scim/errors";
import type { AppEnv } from "../context";
import { afterResponse } from "../wait-until";
import { recentlyRefused } from "./rate-limit";

export const identifyScimCaller = createMiddleware<AppEnv>(async (c, next) => {
  const presented = bearerToken(c.req.header("Authorization"));
  if (presented) {
    const tokenHash = await hashToken(presented);
    c.set("scimTokenHash", tokenHash);
    // A token whose org was just refused for its rate limit is refused again without a lookup.
    const refused = recentlyRefused(tokenHash, requestClass(c.req.method, c.req.path), c.var.clock());
    if (refused) {
      c.set("scimToken", refused.resolution);
      c.set("rateLimitRefusal", refused);
      return next();
    }
    const resolution = await resolveScimToken(
      { db: c.var.db, kv: c.env.TOKEN_CACHE, now: c.var.clock, waitUntil: (p) => afterResponse(c, p) },
      presented,
    );
    c.set("scimToken", resolution);
    if (resolution.kind === "ok") afterResponse(c, recordTokenUse(c.var.db, resolution.tokenId, c.var.clock()));
  }
  await next();
});

export const scimAuth = createMiddleware<AppEnv>(async (c, next) => {
  const header = c.req.header("Authorization");
  if (!header) throw ScimError.unauthorized("Authentication required: send 'Authorization: Bearer <SCIM token>'");
  const resolution = c.var.scimToken;
  if (!resolution) throw ScimError.unauthorized("Malformed Authorization header: expected 'Bearer <SCIM token>'");
  switch (resolution.kind) {
    case "unknown":
      throw ScimError.unauthorized("The SCIM token is not valid");
    case "revoked":
      throw ScimError.unauthorized("The SCIM token has been revoked");
    case "expired":
      throw ScimError.unauthorized("The SCIM token has expired");
    case "disabled":
      throw new ScimError(403, "SCIM provisioning is disabled for this organization");
  }
  c.set("orgId", resolution.orgId);
  c.set("rateLimitLevel", resolution.rateLimitLevel);
  await next();
});

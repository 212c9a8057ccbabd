/** Admin API: an organization's SCIM tokens. The plaintext appears only in the create and rotate responses. */
import { Hono } from "hono";
import { z } from "zod";
import {
  createScimToken,
  DEFAULT_TTL_DAYS,
  isExpiringSoon,
  MAX_GRACE_HOURS,
  MAX_TTL_DAYS,
  revokeScimToken,
  rotateScimToken,
  type MintedToken,
} from "../../auth/scim-tokens";
import { listTokens, type TokenRow } from "../../db/tokens";
import { isoTime, isoTimeOrNull } from "../../lib/clock";
import { durableObjectLogStore, type TokenStatus } from "../../provisioning-log/store";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../origin";
import { audited } from "../audit";
import { ApiError } from "./errors";
import { requireOrg } from "../middleware/require-org";
import { validate } from "./validate";

export function tokenJson(t: TokenRow, now: number) {
  return {
    id: t.id,
    description: t.description,
    prefix: t.prefix,
    createdAt: isoTime(t.createdAt),
    expiresAt: isoTimeOrNull(t.expiresAt),
    lastUsedAt: isoTimeOrNull(t.lastUsedAt),
    revokedAt: isoTimeOrNull(t.revokedAt),
    rotatedAt: isoTimeOrNull(t.rotatedAt),
    replacedBy: t.replacedBy,
    expiringSoon: isExpiringSoon(t, now),
  };
}

/**
 * The connection status: the latest request (when, its User-Agent, the provider recognised from it),
 * requests and errors in the last 24 hours (hourly counters, not the capped log), the latest error.
 * A token the organization's log has never seen (`undefined`) has an empty status.
 */
export function tokenStatusJson(s: TokenStatus | undefined) {
  if (!s) return { lastRequest: null, last24h: { requests: 0, errors: 0 }, lastError: null };
  return {
    lastRequest: { at: isoTime(s.lastRequestAt), userAgent: s.lastUserAgent, provider: s.lastIdp },
    last24h: { requests: s.requests, errors: s.errors },
    lastError:
      s.lastErrorAt === null
        ? null
        : { at: isoTime(s.lastErrorAt), status: s.lastErrorStatus, scimType: s.lastErrorScimType, detail: s.lastErrorDetail },
  };
}

/** The answer that shows a token's plaintext, once. */
function mintedJson({ row, token }: MintedToken, scimUrl: string) {
  return {
    id: row.id,
    token,
    prefix: row.prefix,
    scimUrl,
    description: row.description,
    createdAt: isoTime(row.createdAt),
    expiresAt: isoTimeOrNull(row.expiresAt),
  };
}

const createTokenBody = z.object({
  description: z.string().trim().min(1).max(200),
  ttlDays: z.number().int().min(0).max(MAX_TTL_DAYS).default(DEFAULT_TTL_DAYS),
});

const rotateTokenBody = z.strictObject({ graceHours: z.number().int().min(0).max(MAX_GRACE_HOURS) });

const ROTATION_REFUSALS = {
  revoked: ["token_revoked", "The token is revoked; create a new one instead"],
  expired: ["token_expired", "The token has expired; create a new one instead"],
  rotated: ["token_rotated", "The token was already rotated; rotate its replacement instead"],
} as const;

export const tokenRoutes = new Hono<AppEnv>()
  .use(requireOrg)
  .post("/", validate("json", createTokenBody), async (c) => {
    const scimUrl = scimBaseUrl(c); // a host that cannot have one is refused before a token exists
    const orgId = c.req.param("orgId")!;
    const minted = await createScimToken(c.var.db, orgId, c.req.valid("json"), c.var.clock());
    await audited(c, {
      action: "token.created",
      orgId,
      target: { type: "scim_token", id: minted.row.id },
      detail: { description: minted.row.description, prefix: minted.row.prefix, expiresAt: isoTimeOrNull(minted.row.expiresAt) },
    });
    c.header("Cache-Control", "no-store");
    return c.json(mintedJson(minted, scimUrl), 201);
  })
  .get("/", async (c) => {
    const now = c.var.clock();
    const orgId = c.req.param("orgId")!;
    // The tokens from D1 and their connection status from the org's log object (which counts the
    // requests it logs: src/provisioning-log/token-activity.ts), side by side: one round trip each.
    const [tokens, statuses] = await Promise.all([listTokens(c.var.db, orgId), durableObjectLogStore(c.env).tokenStatuses(orgId, now)]);
    const byId = new Map(statuses.map((s) => [s.tokenId, s]));
    return c.json({ tokens: tokens.map((t) => ({ ...tokenJson(t, now), status: tokenStatusJson(byId.get(t.id)) })) });
  })
  .post("/:tokenId/rotate", validate("json", rotateTokenBody), async (c) => {
    const scimUrl = scimBaseUrl(c);
    const { graceHours } = c.req.valid("json");
    const result = await rotateScimToken(c.var.db, c.env.TOKEN_CACHE, c.req.param("orgId")!, c.req.param("tokenId"), graceHours, c.var.clock());
    if (!result.ok) {
      if (result.refusal === "not_found") throw ApiError.notFound("Token");
      const [code, message] = ROTATION_REFUSALS[result.refusal];
      throw new ApiError(409, code, message);
    }
    await audited(c, {
      action: "token.rotated",
      orgId: c.req.param("orgId"),
      target: { type: "scim_token", id: c.req.param("tokenId") },
      detail: { replacedBy: result.minted.row.id, graceHours, prefix: result.minted.row.prefix },
    });
    c.header("Cache-Control", "no-store");
    return c.json(
      {
        ...mintedJson(result.minted, scimUrl),
        rotatedFrom: c.req.param("tokenId"),
        // Until when the old token keeps working (a grace of 0 revokes it at once).
        previousTokenExpiresAt: isoTimeOrNull(result.previousRevokedAt ?? result.previousExpiresAt),
      },
      201,
    );
  })
  .delete("/:tokenId", async (c) => {
    const revoked = await revokeScimToken(
      c.var.db,
      c.env.TOKEN_CACHE,
      c.req.param("orgId")!,
      c.req.param("tokenId"),
      c.var.clock(),
    );
    if (!revoked) throw ApiError.notFound("Token");
    await audited(c, { action: "token.revoked", orgId: c.req.param("orgId"), target: { type: "scim_token", id: c.req.param("tokenId") } });
    return c.body(null, 204);
  });

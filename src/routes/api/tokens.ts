/** Admin API: an organization's SCIM tokens. The plaintext appears only in the create response. */
import { Hono } from "hono";
import { z } from "zod";
import { createScimToken, DEFAULT_TTL_DAYS, MAX_TTL_DAYS, revokeScimToken } from "../../auth/scim-tokens";
import { listTokens, type TokenRow } from "../../db/tokens";
import { isoTime, isoTimeOrNull } from "../../lib/clock";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../origin";
import { ApiError } from "./errors";
import { requireOrg } from "../middleware/require-org";
import { validate } from "./validate";

export function tokenJson(t: TokenRow) {
  return {
    id: t.id,
    description: t.description,
    prefix: t.prefix,
    createdAt: isoTime(t.createdAt),
    expiresAt: isoTimeOrNull(t.expiresAt),
    lastUsedAt: isoTimeOrNull(t.lastUsedAt),
    revokedAt: isoTimeOrNull(t.revokedAt),
  };
}

const createTokenBody = z.object({
  description: z.string().trim().min(1).max(200),
  ttlDays: z.number().int().min(0).max(MAX_TTL_DAYS).default(DEFAULT_TTL_DAYS),
});

export const tokenRoutes = new Hono<AppEnv>()
  .use(requireOrg)
  .post("/", validate("json", createTokenBody), async (c) => {
    const scimUrl = scimBaseUrl(c); // a host that cannot have one is refused before a token exists
    const { row, token } = await createScimToken(c.var.db, c.req.param("orgId")!, c.req.valid("json"), c.var.clock());
    c.header("Cache-Control", "no-store");
    return c.json(
      {
        id: row.id,
        token,
        prefix: row.prefix,
        scimUrl,
        description: row.description,
        createdAt: isoTime(row.createdAt),
        expiresAt: isoTimeOrNull(row.expiresAt),
      },
      201,
    );
  })
  .get("/", async (c) => c.json({ tokens: (await listTokens(c.var.db, c.req.param("orgId")!)).map(tokenJson) }))
  .delete("/:tokenId", async (c) => {
    const revoked = await revokeScimToken(
      c.var.db,
      c.env.TOKEN_CACHE,
      c.req.param("orgId")!,
      c.req.param("tokenId"),
      c.var.clock(),
    );
    if (!revoked) throw ApiError.notFound("Token");
    return c.body(null, 204);
  });

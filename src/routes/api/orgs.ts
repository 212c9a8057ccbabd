/** Admin API: organizations and their SCIM switch. */
import { Hono } from "hono";
import { z } from "zod";
import { EXPIRING_SOON_MS, forgetOrgTokens } from "../../auth/scim-tokens";
import { findOrg, insertOrg, listOrgs, setScimEnabled, type OrgRow } from "../../db/orgs";
import { expiringTokenCounts } from "../../db/tokens";
import { isoTime } from "../../lib/clock";
import { DEFAULT_LEVEL } from "../../services/rate-limits";
import { newId } from "../../lib/crypto";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../origin";
import { audited } from "../audit";
import { ApiError } from "./errors";
import { validate } from "./validate";

/** `tokensExpiringSoon`: its live tokens that expire within 14 days (see isExpiringSoon). */
export function orgJson(org: OrgRow, tokensExpiringSoon = 0) {
  return { id: org.id, name: org.name, scimEnabled: org.scimEnabled, createdAt: isoTime(org.createdAt), tokensExpiringSoon };
}

const createOrgBody = z.object({ name: z.string().trim().min(1).max(200) });
const scimSwitchBody = z.object({ enabled: z.boolean() });

export const orgRoutes = new Hono<AppEnv>()
  .post("/", validate("json", createOrgBody), async (c) => {
    const org: OrgRow = { id: newId(), name: c.req.valid("json").name, scimEnabled: false, createdAt: c.var.clock(), rateLimitLevel: DEFAULT_LEVEL };
    await insertOrg(c.var.db, org);
    await audited(c, { action: "org.created", orgId: org.id, target: { type: "org", id: org.id }, detail: { name: org.name } });
    return c.json(orgJson(org), 201);
  })
  .get("/", async (c) => {
    const [all, expiring] = await Promise.all([listOrgs(c.var.db), expiringTokenCounts(c.var.db, c.var.clock(), EXPIRING_SOON_MS)]);
    return c.json({ orgs: all.map((org) => orgJson(org, expiring.get(org.id))) });
  })
  .get("/:orgId", async (c) => {
    const orgId = c.req.param("orgId");
    const [org, expiring] = await Promise.all([findOrg(c.var.db, orgId), expiringTokenCounts(c.var.db, c.var.clock(), EXPIRING_SOON_MS, orgId)]);
    if (!org) throw ApiError.notFound("Organization");
    return c.json(orgJson(org, expiring.get(org.id)));
  })
  .patch("/:orgId/scim", validate("json", scimSwitchBody), async (c) => {
    const orgId = c.req.param("orgId");
    const { enabled } = c.req.valid("json");
    const scimUrl = scimBaseUrl(c); // refused before the switch moves
    if (!(await setScimEnabled(c.var.db, orgId, enabled))) throw ApiError.notFound("Organization");
    // Cached tokens say "enabled"; drop them so that SCIM-off applies to the next request.
    if (!enabled) await forgetOrgTokens(c.var.db, c.env.TOKEN_CACHE, orgId);
    await audited(c, { action: enabled ? "scim.enabled" : "scim.disabled", orgId, target: { type: "org", id: orgId } });
    return c.json({ enabled, scimUrl });
  });

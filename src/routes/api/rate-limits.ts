/** Admin API: an organization's rate-limit level (src/services/rate-limits.ts). */
import { Hono } from "hono";
import { z } from "zod";
import { forgetOrgTokens } from "../../auth/scim-tokens";
import { findOrg, setRateLimitLevel } from "../../db/orgs";
import { LEVEL_NAMES, levelBudgets, levelOrDefault } from "../../services/rate-limits";
import { audited } from "../audit";
import type { AppEnv } from "../context";
import { forgetRefusals } from "../middleware/rate-limit";
import { requireOrg } from "../middleware/require-org";
import { ApiError } from "./errors";
import { validate } from "./validate";

const levelBody = z.strictObject({
  level: z.enum(LEVEL_NAMES, { error: `must be one of: ${LEVEL_NAMES.join(", ")}` }),
});

export const rateLimitRoutes = new Hono<AppEnv>()
  .use(requireOrg)
  .get("/", async (c) => {
    const org = await findOrg(c.var.db, c.req.param("orgId")!);
    if (!org) throw ApiError.notFound("Organization");
    return c.json({ level: levelOrDefault(org.rateLimitLevel), levels: levelBudgets() });
  })
  .put("/", validate("json", levelBody), async (c) => {
    const orgId = c.req.param("orgId")!;
    const { level } = c.req.valid("json");
    const org = await findOrg(c.var.db, orgId);
    if (!org) throw ApiError.notFound("Organization");
    const from = levelOrDefault(org.rateLimitLevel);
    if (!(await setRateLimitLevel(c.var.db, orgId, level))) throw ApiError.notFound("Organization");
    // Cached tokens carry the old level: drop them, so that the next request reads the new one.
    await forgetOrgTokens(c.var.db, c.env.TOKEN_CACHE, orgId);
    forgetRefusals(orgId);
    await audited(c, { action: "rate_limit.changed", orgId, target: { type: "org", id: orgId }, detail: { from, to: level } });
    return c.json({ level, levels: levelBudgets() });
  });

/** Admin API: organizations and their SCIM switch. */
import { Hono } from "hono";
import { z } from "zod";
import { forgetOrgTokens } from "../../auth/scim-tokens";
import { findOrg, insertOrg, listOrgs, setScimEnabled, type OrgRow } from "../../db/orgs";
import { isoTime } from "../../lib/clock";
import { newId } from "../../lib/crypto";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../origin";
import { ApiError } from "./errors";
import { validate } from "./validate";

export function orgJson(org: OrgRow) {
  return { id: org.id, name: org.name, scimEnabled: org.scimEnabled, createdAt: isoTime(org.createdAt) };
}

const createOrgBody = z.object({ name: z.string().trim().min(1).max(200) });
const scimSwitchBody = z.object({ enabled: z.boolean() });

export const orgRoutes = new Hono<AppEnv>()
  .post("/", validate("json", createOrgBody), async (c) => {
    const org: OrgRow = { id: newId(), name: c.req.valid("json").name, scimEnabled: false, createdAt: c.var.clock() };
    await insertOrg(c.var.db, org);
    return c.json(orgJson(org), 201);
  })
  .get("/", async (c) => c.json({ orgs: (await listOrgs(c.var.db)).map(orgJson) }))
  .get("/:orgId", async (c) => {
    const org = await findOrg(c.var.db, c.req.param("orgId"));
    if (!org) throw ApiError.notFound("Organization");
    return c.json(orgJson(org));
  })
  .patch("/:orgId/scim", validate("json", scimSwitchBody), async (c) => {
    const orgId = c.req.param("orgId");
    const { enabled } = c.req.valid("json");
    const scimUrl = scimBaseUrl(c); // refused before the switch moves
    if (!(await setScimEnabled(c.var.db, orgId, enabled))) throw ApiError.notFound("Organization");
    // Cached tokens say "enabled"; drop them so that SCIM-off applies to the next request.
    if (!enabled) await forgetOrgTokens(c.var.db, c.env.TOKEN_CACHE, orgId);
    return c.json({ enabled, scimUrl });
  });

/**
 * The organization's single sign-on, for the operator: `GET`/`PUT`/`DELETE /api/v1/orgs/{orgId}/sso`,
 * and `GET …/sso/attempts`, the refused sign-ins an admin looks at.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { z } from "zod";
import { deleteSsoConfig, findSsoConfig, listAttempts, saveSsoConfig } from "../../db/sso";
import { isoTime } from "../../lib/clock";
import { configView, MAX_METADATA_BYTES, ssoConfigInput } from "../../sso/config";
import { prepareSsoConfig } from "../../sso/configure";
import { spUrls } from "../../sso/urls";
import type { AppEnv } from "../context";
import { publicOrigin } from "../origin";
import { ApiError } from "./errors";
import { requireOrg } from "../middleware/require-org";
import { validate } from "./validate";

const notConfigured = () => new ApiError(404, "sso_not_configured", "Single sign-on is not configured for this organization");

export const ssoRoutes = new Hono<AppEnv>()
  .use(requireOrg)
  .get("/", async (c) => {
    const orgId = c.req.param("orgId")!;
    const config = await findSsoConfig(c.var.db, orgId);
    if (!config) throw notConfigured();
    return c.json(configView(publicOrigin(c), orgId, config));
  })
  .put(
    "/",
    bodyLimit({
      maxSize: MAX_METADATA_BYTES + 16 * 1024,
      onError: () => {
        throw new ApiError(413, "payload_too_large", "The request body is too large");
      },
    }),
    validate("json", ssoConfigInput),
    async (c) => {
      const orgId = c.req.param("orgId")!;
      const origin = publicOrigin(c);
      const now = c.var.clock();
      const prepared = await prepareSsoConfig(c.req.valid("json"), {
        orgId,
        secretKey: c.env.SSO_SECRET_KEY,
        redirectUri: spUrls(origin, orgId).redirectUri,
        fetch: c.var.outboundFetch,
        now,
      });
      if (!prepared.ok) throw new ApiError(prepared.status, prepared.code, prepared.message, prepared.field);
      await saveSsoConfig(c.var.db, orgId, prepared.config);
      return c.json(configView(origin, orgId, prepared.config));
    },
  )
  .delete("/", async (c) => {
    if (!(await deleteSsoConfig(c.var.db, c.req.param("orgId")!))) throw notConfigured();
    return c.body(null, 204);
  })
  .get("/attempts", validate("query", z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) })), async (c) => {
    const rows = await listAttempts(c.var.db, c.req.param("orgId")!, c.req.valid("query").limit);
    return c.json({
      attempts: rows.map((r) => ({
        at: isoTime(r.at),
        protocol: r.protocol,
        subject: r.subject,
        userId: r.userId,
        reason: r.reason,
        detail: r.detail,
      })),
    });
  });

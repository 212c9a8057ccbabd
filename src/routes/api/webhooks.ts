/**
 * Admin API: an organization's webhook endpoints (src/events/webhooks.ts). The signing secret appears
 * only in the create and rotate answers; it is stored sealed under WEBHOOK_SECRET_KEY.
 */
import { Hono, type Context } from "hono";
import { z } from "zod";
import type { DeliveryRow } from "../../db/webhooks";
import { EVENT_TYPES } from "../../events/model";
import {
  createWebhook,
  endpointUrlProblem,
  listWebhooks,
  removeWebhook,
  rotateWebhookSecret,
  testWebhook,
  type SecretOutcome,
} from "../../events/webhooks";
import { isoTime } from "../../lib/clock";
import { audited } from "../audit";
import type { AppEnv } from "../context";
import { requireOrg } from "../middleware/require-org";
import { configuredOrigin, isLoopbackHost, publicOriginOrNull } from "../origin";
import { ApiError } from "./errors";
import { validate } from "./validate";

const MAX_URL_CHARS = 2000;

const createBody = z.strictObject({
  url: z.string().trim().min(1).max(MAX_URL_CHARS),
  eventTypes: z
    .array(z.enum(EVENT_TYPES, { error: (issue) => `"${String(issue.input)}" is not an event type (one of ${EVENT_TYPES.join(", ")})` }))
    .max(EVENT_TYPES.length)
    .nullish(),
  format: z.enum(["json", "set"]).default("json"),
});

/**
 * Whether the service runs locally, so that an http:// endpoint on 127.0.0.1 or localhost makes sense:
 * its PUBLIC_ORIGIN is a loopback address, or, without one, the request came to a loopback host.
 */
function runsLocally(c: Context<AppEnv>): boolean {
  const configured = configuredOrigin(c.env);
  const host = configured ? new URL(configured).hostname : new URL(c.req.url).hostname;
  return isLoopbackHost(host);
}

function unsealable<T>(outcome: SecretOutcome<T>): asserts outcome is { ok: true } & T {
  if (outcome.ok) return;
  throw new ApiError(
    503,
    "webhook_secret_key_missing",
    outcome.problem === "missing"
      ? "WEBHOOK_SECRET_KEY is not set on this deployment, so a webhook secret cannot be stored encrypted. Set it (wrangler secret put WEBHOOK_SECRET_KEY) and retry."
      : "WEBHOOK_SECRET_KEY is shorter than 32 characters; set a longer random value and retry.",
  );
}

export function lastDeliveryJson(row: DeliveryRow | null) {
  if (!row || row.lastAttemptAt == null) return null;
  return {
    eventId: row.eventId,
    sequence: row.sequence,
    status: row.status === "pending" ? "retrying" : row.status,
    httpStatus: row.lastStatus,
    at: isoTime(row.lastAttemptAt),
  };
}

export const webhookRoutes = new Hono<AppEnv>()
  .use(requireOrg)
  .post("/", validate("json", createBody), async (c) => {
    const orgId = c.req.param("orgId")!;
    const input = c.req.valid("json");
    const problem = endpointUrlProblem(input.url, runsLocally(c));
    if (problem) throw ApiError.badRequest(`url: ${problem}`, "url");
    const created = await createWebhook(c.env, orgId, { url: input.url, eventTypes: input.eventTypes, format: input.format }, c.var.clock());
    unsealable(created);
    const { row, secret } = created;
    const eventTypes = input.eventTypes?.length ? input.eventTypes : null;
    await audited(c, {
      action: "webhook.created",
      orgId,
      target: { type: "webhook", id: row.id },
      detail: { url: row.url, eventTypes, format: row.format },
    });
    c.header("Cache-Control", "no-store");
    return c.json({ id: row.id, url: row.url, eventTypes, format: row.format, secret, createdAt: isoTime(row.createdAt) }, 201);
  })
  .get("/", async (c) => {
    const hooks = await listWebhooks(c.var.db.$client, c.req.param("orgId")!);
    return c.json({
      webhooks: hooks.map(({ row, eventTypes, lastDelivery }) => ({
        id: row.id,
        url: row.url,
        eventTypes,
        format: row.format,
        createdAt: isoTime(row.createdAt),
        lastDelivery: lastDeliveryJson(lastDelivery),
      })),
    });
  })
  .delete("/:webhookId", async (c) => {
    const orgId = c.req.param("orgId")!;
    const id = c.req.param("webhookId");
    if (!(await removeWebhook(c.env, orgId, id))) throw ApiError.notFound("Webhook");
    await audited(c, { action: "webhook.deleted", orgId, target: { type: "webhook", id } });
    return c.body(null, 204);
  })
  .post("/:webhookId/rotate-secret", async (c) => {
    const orgId = c.req.param("orgId")!;
    const id = c.req.param("webhookId");
    const rotated = await rotateWebhookSecret(c.env, orgId, id);
    if (!rotated) throw ApiError.notFound("Webhook");
    unsealable(rotated);
    await audited(c, { action: "webhook.secret_rotated", orgId, target: { type: "webhook", id } });
    c.header("Cache-Control", "no-store");
    return c.json({ id, secret: rotated.secret });
  })
  .post("/:webhookId/test", async (c) => {
    const orgId = c.req.param("orgId")!;
    const id = c.req.param("webhookId");
    const outcome = await testWebhook(c.env, orgId, id, publicOriginOrNull(c));
    if (!outcome) throw ApiError.notFound("Webhook");
    await audited(c, { action: "webhook.tested", orgId, target: { type: "webhook", id }, detail: { delivered: outcome.delivered, status: outcome.status } });
    return c.json({ delivered: outcome.delivered, status: outcome.status, ...(outcome.error ? { error: outcome.error } : {}) });
  });

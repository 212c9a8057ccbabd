/**
 * Admin API: an organization's directory events, pulled in sequence order (src/events/pull.ts).
 * `GET /api/v1/orgs/{orgId}/events?after=<cursor>&limit=1..500&type=<type>[,<type>…]`; an event's
 * deliveries to the org's webhook endpoints, and its redelivery (src/events/webhooks.ts).
 */
import { Hono } from "hono";
import { z } from "zod";
import { EVENT_TYPES, isEventType } from "../../events/model";
import { MAX_PULL_LIMIT, pullEvents } from "../../events/pull";
import { eventDeliveries, pokeEndpoints, redeliverEvent } from "../../events/webhooks";
import { isoTimeOrNull } from "../../lib/clock";
import { audited } from "../audit";
import type { AppEnv } from "../context";
import { publicOriginOrNull } from "../origin";
import { afterResponse } from "../wait-until";
import { requireOrg } from "../middleware/require-org";
import { ApiError } from "./errors";
import { cursorAfter, emptyAsAbsent, encodeCursor } from "./paging";
import { validate } from "./validate";

const pullQuery = z.object({
  after: z.preprocess(emptyAsAbsent, z.string().max(200).optional()),
  limit: z.coerce.number().int().min(1).max(MAX_PULL_LIMIT).default(100),
});

/** `type` may repeat and may list several types separated by commas; every one must be an event type. */
function typesOf(values: string[] | undefined): string[] | undefined {
  const types = (values ?? []).flatMap((v) => v.split(",")).map((t) => t.trim()).filter(Boolean);
  const unknown = types.find((t) => !isEventType(t));
  if (unknown) throw ApiError.badRequest(`type: "${unknown}" is not an event type (one of ${EVENT_TYPES.join(", ")})`, "type");
  return types.length ? types : undefined;
}

/** The stream position a cursor carries. */
function positionOf(cursor: string | undefined): number | undefined {
  const after = cursorAfter(cursor);
  if (after === undefined) return undefined;
  if (!/^(0|[1-9][0-9]{0,15})$/.test(after)) throw ApiError.badRequest("after: not a cursor this API returned", "after");
  return Number(after);
}

const redeliverBody = z.strictObject({ webhookId: z.string().min(1).max(100).optional() });

export const eventRoutes = new Hono<AppEnv>()
  .use(requireOrg)
  .get("/:eventId/deliveries", async (c) => {
    const deliveries = await eventDeliveries(c.var.db.$client, c.req.param("orgId")!, c.req.param("eventId"));
    if (!deliveries) throw ApiError.notFound("Event");
    return c.json({
      deliveries: deliveries.map((d) => ({
        webhookId: d.webhook.id,
        url: d.webhook.url,
        status: d.status,
        attempts: d.attempts,
        lastStatus: d.lastStatus,
        lastError: d.lastError,
        lastAttemptAt: isoTimeOrNull(d.lastAttemptAt),
        nextAttemptAt: isoTimeOrNull(d.nextAttemptAt),
      })),
    });
  })
  .post("/:eventId/redeliver", validate("json", redeliverBody), async (c) => {
    const orgId = c.req.param("orgId")!;
    const eventId = c.req.param("eventId");
    const { webhookId } = c.req.valid("json");
    const result = await redeliverEvent(c.env, orgId, eventId, webhookId, c.var.clock());
    if (!result.ok) throw ApiError.notFound(result.notFound === "event" ? "Event" : "Webhook");
    await audited(c, {
      action: "event.redelivered",
      orgId,
      target: { type: "event", id: eventId },
      detail: { webhookId: webhookId ?? null, queued: result.webhookIds.length },
    });
    // Queued in D1 before the answer; the endpoints' objects are woken after it (or by the sweeper).
    afterResponse(c, pokeEndpoints(c.env, result.webhookIds, publicOriginOrNull(c)));
    return c.json({ queued: result.webhookIds.length }, 202);
  })
  .get("/", validate("query", pullQuery), async (c) => {
    const { after, limit } = c.req.valid("query");
    const result = await pullEvents(c.var.db.$client, c.req.param("orgId")!, positionOf(after), limit, typesOf(c.req.queries("type")));
    if (!result.ok && result.reason === "expired") {
      throw new ApiError(
        410,
        "cursor_expired",
        "Events after this cursor are older than the 30-day retention and were deleted. Read the directory in full to reconcile, then pull again without `after`.",
        "after",
      );
    }
    if (!result.ok) throw ApiError.badRequest("after: the cursor is past the end of this organization's event stream", "after");
    return c.json({ events: result.events, nextCursor: encodeCursor(String(result.next)) });
  });

/**
 * Admin API: an organization's directory events, pulled in sequence order (src/events/pull.ts).
 * `GET /api/v1/orgs/{orgId}/events?after=<cursor>&limit=1..500&type=<type>[,<type>…]`.
 */
import { Hono } from "hono";
import { z } from "zod";
import { EVENT_TYPES, isEventType } from "../../events/model";
import { MAX_PULL_LIMIT, pullEvents } from "../../events/pull";
import type { AppEnv } from "../context";
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

export const eventRoutes = new Hono<AppEnv>().use(requireOrg).get("/", validate("query", pullQuery), async (c) => {
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

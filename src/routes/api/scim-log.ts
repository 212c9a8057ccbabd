/** Admin API: an organization's provisioning log, newest first, paged by a keyset cursor on id. */
import { Hono } from "hono";
import { z } from "zod";
import { listLogEntries, type ScimLogRow } from "../../db/scim-log";
import { isoTime } from "../../lib/clock";
import { LOG_MAX_AGE_MS } from "../../provisioning-log/retention";
import type { AppEnv } from "../context";
import { requireOrg } from "./org-scope";
import { validate } from "./validate";

export const LOG_PAGE_SIZE = 50;
export const LOG_MAX_PAGE_SIZE = 200;

export function logEntryJson(row: ScimLogRow) {
  return {
    id: row.id,
    at: isoTime(row.at),
    method: row.method,
    path: row.path,
    query: row.query,
    operations: row.ops ? JSON.parse(row.ops) : null,
    status: row.status,
    scimType: row.scimType,
    detail: row.detail,
    durationMs: row.durationMs,
    userAgent: row.userAgent,
    tokenId: row.tokenId,
    tokenDescription: row.tokenDescription,
    idp: row.idp,
  };
}

const logQuery = z.object({
  status: z.enum(["2xx", "4xx", "5xx"]).optional(),
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,15}$/, "must be a nextCursor returned by this endpoint")
    .optional(),
  limit: z.coerce.number().int().min(1).max(LOG_MAX_PAGE_SIZE).default(LOG_PAGE_SIZE),
});

export const scimLogRoutes = new Hono<AppEnv>().use(requireOrg).get("/", validate("query", logQuery), async (c) => {
  const { status, cursor, limit } = c.req.valid("query");
  const rows = await listLogEntries(c.var.db, c.req.param("orgId")!, {
    statusClass: status ? Number(status[0]) : undefined,
    beforeId: cursor ? Number(cursor) : undefined,
    since: c.var.clock() - LOG_MAX_AGE_MS,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  return c.json({
    entries: page.map(logEntryJson),
    nextCursor: rows.length > limit ? String(page[page.length - 1].id) : null,
  });
});

/** Admin API: an organization's provisioning log, newest first, in keyset pages on the entry id. */
import { Hono } from "hono";
import { z } from "zod";
import { resourceNames, type ResourceNames } from "../../db/resource-names";
import { isoTime } from "../../lib/clock";
import { resourceIdsOf, resourceOfPath } from "../../provisioning-log/resources";
import { LOG_MAX_AGE_MS } from "../../provisioning-log/retention";
import { listLogEntries, type LogEntryRow } from "../../provisioning-log/store";
import type { AppEnv } from "../context";
import { requireOrg } from "../middleware/require-org";
import { ApiError } from "./errors";
import { cursorAfter, emptyAsAbsent, pageParams, toPage } from "./paging";
import { validate } from "./validate";

/** The user or group the entry's path names, with its userName or displayName (null once deleted). */
function resourceJson(path: string, names: ResourceNames) {
  const resource = resourceOfPath(path);
  if (!resource) return null;
  const name = (resource.type === "User" ? names.users : names.groups).get(resource.id) ?? null;
  return { ...resource, name };
}

export function logEntryJson(row: LogEntryRow, names: ResourceNames) {
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
    resource: resourceJson(row.path, names),
  };
}

const logQuery = z.object({
  status: z.preprocess(emptyAsAbsent, z.enum(["2xx", "4xx", "5xx"]).optional()),
  token: z.preprocess(emptyAsAbsent, z.string().max(200).optional()),
  ...pageParams,
});

/** The entry id a cursor carries: ids are positive integers. */
function beforeId(cursor: string | undefined): number | undefined {
  const after = cursorAfter(cursor);
  if (after === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(after)) throw ApiError.badRequest("cursor: not a cursor this API returned", "cursor");
  return Number(after);
}

export const provisioningLogRoutes = new Hono<AppEnv>().use(requireOrg).get("/", validate("query", logQuery), async (c) => {
  const { status, token, cursor, limit } = c.req.valid("query");
  const rows = await listLogEntries(c.var.db, c.req.param("orgId")!, {
    statusClass: status ? Number(status[0]) : undefined,
    tokenId: token,
    beforeId: beforeId(cursor),
    since: c.var.clock() - LOG_MAX_AGE_MS,
    limit: limit + 1,
  });
  const { page, nextCursor } = toPage(rows, limit, (row) => String(row.id));
  // One query for the whole page's names, never one per entry.
  const names = await resourceNames(c.var.db, c.req.param("orgId")!, resourceIdsOf(page.map((row) => row.path)));
  return c.json({ entries: page.map((row) => logEntryJson(row, names)), nextCursor });
});

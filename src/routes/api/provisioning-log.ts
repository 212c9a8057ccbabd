/** Admin API: an organization's provisioning log, newest first, in keyset pages on the entry id. */
import { Hono } from "hono";
import { z } from "zod";
import { resourceNames, type ResourceNames } from "../../db/resource-names";
import { tokenDescriptions } from "../../db/tokens";
import { isoTime } from "../../lib/clock";
import { resourceIdsOf, resourceOfPath } from "../../provisioning-log/resources";
import { durableObjectLogStore, type LogEntry } from "../../provisioning-log/store";
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

/**
 * An entry as the API shows it. The log keeps the token's id; its description comes from the token
 * row, and labels the identity provider when the request did not name one. The resource's name comes
 * from the directory (the log keeps the path only).
 */
export function logEntryJson(row: LogEntry, descriptions: Map<string, string>, names: ResourceNames) {
  const tokenDescription = row.tokenId === null ? null : (descriptions.get(row.tokenId) ?? null);
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
    tokenDescription,
    idp: row.idp ?? tokenDescription,
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
  const orgId = c.req.param("orgId")!;
  const query = { statusClass: status ? Number(status[0]) : undefined, tokenId: token, beforeId: beforeId(cursor), limit: limit + 1 };
  // The page from the org's log object, then the names of the users and groups its paths address (one
  // D1 query for the whole page, none when it addresses none); the token descriptions from D1 meanwhile.
  const pageWithNames = async () => {
    const { page, nextCursor } = toPage(await durableObjectLogStore(c.env).list(orgId, query, c.var.clock()), limit, (row) => String(row.id));
    const names = await resourceNames(c.var.db, orgId, resourceIdsOf(page.map((row) => row.path)));
    return { page, nextCursor, names };
  };
  const [{ page, nextCursor, names }, descriptions] = await Promise.all([pageWithNames(), tokenDescriptions(c.var.db, orgId)]);
  return c.json({ entries: page.map((row) => logEntryJson(row, descriptions, names)), nextCursor });
});

/** Admin API: the audit trail, newest first, in keyset pages on the entry id; read-only. */
import { Hono } from "hono";
import { z } from "zod";
import { listAuditEntries, type AuditRow } from "../../db/audit";
import { isoTime } from "../../lib/clock";
import type { AppEnv } from "../context";
import { ApiError } from "./errors";
import { cursorAfter, emptyAsAbsent, pageParams, toPage } from "./paging";
import { validate } from "./validate";

export function auditEntryJson(row: AuditRow) {
  return {
    id: row.id,
    at: isoTime(row.at),
    action: row.action,
    orgId: row.orgId,
    target: { type: row.targetType, id: row.targetId },
    detail: row.detail ? JSON.parse(row.detail) : null,
    actor: { kind: row.actorKind, id: row.actorId, ip: row.ip, userAgent: row.userAgent },
  };
}

const auditQuery = z.object({ orgId: z.preprocess(emptyAsAbsent, z.string().max(100).optional()), ...pageParams });

function beforeId(cursor: string | undefined): number | undefined {
  const after = cursorAfter(cursor);
  if (after === undefined) return undefined;
  if (!/^[1-9][0-9]{0,15}$/.test(after)) throw ApiError.badRequest("cursor: not a cursor this API returned", "cursor");
  return Number(after);
}

export const auditRoutes = new Hono<AppEnv>().get("/", validate("query", auditQuery), async (c) => {
  const { orgId, cursor, limit } = c.req.valid("query");
  const rows = await listAuditEntries(c.var.db, { orgId, beforeId: beforeId(cursor), limit: limit + 1 });
  const { page, nextCursor } = toPage(rows, limit, (row) => String(row.id));
  return c.json({ entries: page.map(auditEntryJson), nextCursor });
});

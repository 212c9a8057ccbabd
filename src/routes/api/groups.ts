/**
 * Admin API: the directory of provisioned groups and their members. Read-only: the identity provider
 * stays the source of truth for groups and memberships, which change only through SCIM.
 */
import { Hono } from "hono";
import { z } from "zod";
import { countDirectoryGroups, findDirectoryGroup, groupDirectoryPage, groupMemberPage, type DirectoryGroup } from "../../db/group-directory";
import type { DirectoryUser } from "../../db/user-directory";
import { fold } from "../../scim/text";
import type { AppEnv } from "../context";
import { ApiError } from "./errors";
import { requireOrg } from "../middleware/require-org";
import { cursorAfter, pageParams, searchParam, toPage, totalParam } from "./paging";
import { validate } from "./validate";

export function groupJson(g: DirectoryGroup) {
  return { id: g.id, displayName: g.displayName, memberCount: g.memberCount };
}

export function memberJson(u: DirectoryUser) {
  return { id: u.id, userName: u.userName, displayName: u.displayName, active: u.active, setupState: u.setupState };
}

const listQuery = z.object({ q: searchParam, total: totalParam, ...pageParams });
const memberQuery = z.object(pageParams);

export const groupRoutes = new Hono<AppEnv>()
  .use(requireOrg)
  .get("/", validate("query", listQuery), async (c) => {
    const { q, cursor, limit, total } = c.req.valid("query");
    const rows = await groupDirectoryPage(c.var.db, c.req.param("orgId")!, {
      prefix: q ? fold(q) : undefined,
      after: cursorAfter(cursor),
      limit,
    });
    const { page, nextCursor } = toPage(rows, limit, (g) => g.displayNameNorm);
    if (total !== "1") return c.json({ groups: page.map(groupJson), nextCursor });
    const count = q ? null : await countDirectoryGroups(c.var.db, c.req.param("orgId")!);
    return c.json({ groups: page.map(groupJson), nextCursor, total: count });
  })
  .get("/:groupId", async (c) => {
    const group = await findDirectoryGroup(c.var.db, c.req.param("orgId")!, c.req.param("groupId"));
    if (!group) throw ApiError.notFound("Group");
    return c.json(groupJson(group));
  })
  .get("/:groupId/members", validate("query", memberQuery), async (c) => {
    const { cursor, limit } = c.req.valid("query");
    const after = cursorAfter(cursor);
    const group = await findDirectoryGroup(c.var.db, c.req.param("orgId")!, c.req.param("groupId"));
    if (!group) throw ApiError.notFound("Group");
    const rows = await groupMemberPage(c.var.db, group.id, { after, limit });
    const { page, nextCursor } = toPage(rows, limit, (u) => u.id);
    return c.json({ members: page.map(memberJson), nextCursor });
  });

/** The group row: reading one, and pages of them (writes: ./group-writes; members: ./group-members). */
import { and, eq, sql } from "drizzle-orm";
import type { StoredGroup } from "../scim/resource/group";
import type { Db } from "./client";
import { listPage, type ListQuery } from "./list-page";
import { groups } from "./schema";

export type GroupRow = typeof groups.$inferSelect;

export async function findGroup(db: Db, orgId: string, groupId: string): Promise<GroupRow | undefined> {
  return db
    .select()
    .from(groups)
    .where(and(eq(groups.orgId, orgId), eq(groups.id, groupId)))
    .get();
}

/** Several groups of the org by id, in one statement whatever their number (one JSON parameter). */
export async function findGroups(db: Db, orgId: string, groupIds: string[]): Promise<Map<string, GroupRow>> {
  if (groupIds.length === 0) return new Map();
  const rows = await db
    .select()
    .from(groups)
    .where(and(eq(groups.orgId, orgId), sql`${groups.id} IN (SELECT j.value FROM json_each(${JSON.stringify(groupIds)}) AS j)`))
    .all();
  return new Map(rows.map((r) => [r.id, r]));
}

/** One page of groups and the filter's true total: two statements in one batch, three for a cursor page (see listPage). */
export async function listGroups(db: Db, orgId: string, query: ListQuery): Promise<{ total: number; groups: StoredGroup[]; otherSide: boolean }> {
  const columns = `g.id AS id, g.version AS version, g.created_at AS createdAt, g.last_modified AS lastModified,
                   g.data AS data, g.member_count AS memberCount`;
  const { total, rows, otherSide } = await listPage<StoredGroup>(db, "groups g", columns, orgId, query);
  return { total, groups: rows, otherSide };
}

/** The group row: reading one, and pages of them (writes: ./group-writes; members: ./group-members). */
import { and, eq } from "drizzle-orm";
import type { StoredGroup } from "../scim/resource/group";
import type { Db } from "./client";
import { membersOfPageQuery, pageMembers, type MemberRow } from "./group-members";
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

/**
 * One page of groups and the filter's true total: two statements in one batch (see listPage). With
 * `withMembers`, the page's members ride in the same batch when they fit one chunk (`members`);
 * otherwise `members` is undefined and they are read in keyset chunks as the page is rendered.
 */
export async function listGroups(
  db: Db,
  orgId: string,
  query: ListQuery,
  withMembers = false,
): Promise<{ total: number; groups: StoredGroup[]; members?: Map<string, MemberRow[]> }> {
  const columns = `g.id AS id, g.version AS version, g.created_at AS createdAt, g.last_modified AS lastModified,
                   g.data AS data, g.member_count AS memberCount`;
  const { total, rows, related } = await listPage<StoredGroup>(db, "groups g", columns, orgId, query, withMembers ? membersOfPageQuery() : undefined);
  return { total, groups: rows, members: withMembers ? pageMembers(rows.map((g) => g.id), related) : undefined };
}

/**
 * Read queries for the admin directory of provisioned groups: which groups exist, how many members
 * each has and who they are (which groups a page of users is in: ./user-groups). Writes to groups belong to the
 * SCIM Groups resource and the OrgWriter.
 *
 * Every page is one keyset statement whatever the group's or the org's size:
 * - groups in case-folded displayName order (unique per org) on the (org_id, display_name_norm) index,
 *   with the member count the writer maintains on the group row (members are never counted);
 * - a group's members in user id order on the group_members primary key (group_id, user_id), each
 *   joined to its user row by id, so page 1,000 of a 50,000-member group costs what page 1 costs.
 * Rows created while someone pages are neither repeated nor make others skip.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./client";
import { startsWith } from "./prefix-range";
import { DIRECTORY_USER_COLUMNS, toDirectoryUser, type DirectoryUser, type DirectoryUserRow } from "./user-directory";

export interface DirectoryGroup {
  id: string;
  displayName: string;
  displayNameNorm: string;
  memberCount: number;
}

interface GroupRow {
  id: string;
  display_name: string;
  display_name_norm: string;
  member_count: number;
}

const GROUP_COLUMNS = sql`g.id, g.display_name, g.display_name_norm, g.member_count`;

const toGroup = (r: GroupRow): DirectoryGroup => ({
  id: r.id,
  displayName: r.display_name,
  displayNameNorm: r.display_name_norm,
  memberCount: r.member_count,
});

export interface GroupDirectoryQuery {
  /** Case-folded displayName prefix, or undefined for every group. */
  prefix?: string;
  /** The display_name_norm of the last group of the previous page. */
  after?: string;
  limit: number;
}

/** One page of an org's groups in displayName order; `limit + 1` rows are read to know whether more follow. */
export async function groupDirectoryPage(db: Db, orgId: string, query: GroupDirectoryQuery): Promise<DirectoryGroup[]> {
  const conditions = [sql`g.org_id = ${orgId}`];
  if (query.after !== undefined) conditions.push(sql`g.display_name_norm > ${query.after}`);
  if (query.prefix !== undefined) conditions.push(startsWith(sql`g.display_name_norm`, query.prefix));
  const rows = await db.all<GroupRow>(sql`
    SELECT ${GROUP_COLUMNS} FROM groups AS g
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY g.display_name_norm LIMIT ${query.limit + 1}`);
  return rows.map(toGroup);
}

export async function findDirectoryGroup(db: Db, orgId: string, groupId: string): Promise<DirectoryGroup | undefined> {
  const rows = await db.all<GroupRow>(sql`SELECT ${GROUP_COLUMNS} FROM groups AS g WHERE g.org_id = ${orgId} AND g.id = ${groupId}`);
  return rows[0] && toGroup(rows[0]);
}

/**
 * One page of a group's members after a user id, in user id order; `limit + 1` rows are read. The
 * group must already be known to belong to the org (membership rows only join users of its org).
 */
export async function groupMemberPage(db: Db, groupId: string, query: { after?: string; limit: number }): Promise<DirectoryUser[]> {
  // CROSS JOIN keeps the primary-key range of group_members as the outer loop, each user read by id.
  const rows = await db.all<DirectoryUserRow>(sql`
    SELECT ${DIRECTORY_USER_COLUMNS}
    FROM group_members AS m CROSS JOIN users AS u ON u.id = m.user_id
    WHERE m.group_id = ${groupId} AND m.user_id > ${query.after ?? ""}
    ORDER BY m.user_id LIMIT ${query.limit + 1}`);
  return rows.map(toDirectoryUser);
}

/** How many groups the org has (no search), for the pager's "of N": one COUNT over groups_org_id. */
export async function countDirectoryGroups(db: Db, orgId: string): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM groups AS g WHERE g.org_id = ${orgId}`);
  return row?.n ?? 0;
}

/**
 * The groups of users: what SCIM renders as a user's read-only `groups`, and what the directory shows
 * (a user's first groups by name and how many there are). Both read the users' membership rows through
 * the (user_id, group_id) index, never a group's member list; CROSS JOINs pin that plan (left to
 * itself, SQLite walks all the org's groups once per user).
 */
import { sql } from "drizzle-orm";
import type { UserGroup } from "../scim/resource/user";
import type { Db } from "./client";
import type { RelatedQuery } from "./list-page";

export interface UserGroups {
  /** The user's groups by displayName, at most `perUser` of them. */
  groups: UserGroup[];
  /** How many groups the user is in. */
  total: number;
}

export interface UserGroupRow {
  user_id: string;
  group_id: string;
  display_name: string;
}

/**
 * The groups of some users, in one statement: each user's first `perUser` groups by name (all of them
 * by default) and their number.
 */
export async function groupsOfUsers(db: Db, orgId: string, userIds: string[], perUser = Number.MAX_SAFE_INTEGER): Promise<Map<string, UserGroups>> {
  const result = new Map<string, UserGroups>(userIds.map((id) => [id, { groups: [], total: 0 }]));
  if (userIds.length === 0) return result;
  const rows = await db.all<UserGroupRow & { total: number }>(sql`
    SELECT user_id, group_id, display_name, total FROM (
      SELECT m.user_id, g.id AS group_id, g.display_name,
             row_number() OVER (PARTITION BY m.user_id ORDER BY g.display_name_norm, g.id) AS n,
             count(*) OVER (PARTITION BY m.user_id) AS total
      FROM json_each(${JSON.stringify(userIds)}) AS j
      CROSS JOIN group_members AS m ON m.user_id = j.value
      CROSS JOIN groups AS g ON g.id = m.group_id
      WHERE g.org_id = ${orgId}
    )
    WHERE n <= ${perUser}
    ORDER BY user_id, n`);
  for (const r of rows) {
    const entry = result.get(r.user_id)!;
    entry.groups.push({ groupId: r.group_id, displayName: r.display_name });
    entry.total = r.total;
  }
  return result;
}

/**
 * The groups of the users a subquery yields (a list page), to ride in the page's own batch. The page
 * is a FROM subquery, not `IN (…)`: SQLite counts an expression's subqueries on top of it against
 * the depth limit, which would halve the filter depth D1 runs.
 */
export function groupsOfUsersQuery(orgId: string): RelatedQuery {
  return {
    sql: (userIds) => `
      SELECT gm.user_id, g.id AS group_id, g.display_name
      FROM (${userIds}) AS page
      CROSS JOIN group_members AS gm ON gm.user_id = page.id
      CROSS JOIN groups AS g ON g.id = gm.group_id
      WHERE g.org_id = ?
      ORDER BY gm.user_id, g.display_name_norm, g.id`,
    params: [orgId],
  };
}

/** The rows of groupsOfUsersQuery, by user. */
export function groupUserGroups(userIds: string[], rows: UserGroupRow[]): Map<string, UserGroup[]> {
  const byUser = new Map<string, UserGroup[]>(userIds.map((id) => [id, []]));
  for (const r of rows) byUser.get(r.user_id)?.push({ groupId: r.group_id, displayName: r.display_name });
  return byUser;
}

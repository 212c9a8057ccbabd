/** A user as GET /Users/{id} renders it: the row and, when asked, its groups, in one round trip. */
import type { StoredUser, UserGroup } from "../scim/resource/user";
import type { Db } from "./client";
import { groupsOfUsersQuery, type UserGroupRow } from "./user-groups";

const USER_COLUMNS = "id, version, created_at AS createdAt, last_modified AS lastModified, data";

export async function findUserWithGroups(
  db: Db,
  orgId: string,
  id: string,
  withGroups: boolean,
): Promise<{ user: StoredUser; groups: UserGroup[] } | undefined> {
  const d1 = db.$client;
  const row = d1.prepare(`SELECT ${USER_COLUMNS} FROM users WHERE org_id = ? AND id = ?`).bind(orgId, id);
  if (!withGroups) {
    const user = await row.first<StoredUser>();
    return user ? { user, groups: [] } : undefined;
  }
  const related = groupsOfUsersQuery(orgId);
  const [users, groups] = await d1.batch([row, d1.prepare(related.sql("SELECT ? AS id")).bind(id, ...related.params)]);
  const user = users.results[0] as StoredUser | undefined;
  if (!user) return undefined;
  return { user, groups: (groups.results as UserGroupRow[]).map((g) => ({ groupId: g.group_id, displayName: g.display_name })) };
}

/** Seeds rows straight into D1 for tests that need volume (never 50,000 requests). */
import { env } from "cloudflare:test";
import { fold } from "../../src/scim/text";

/** Inserts `count` users `<prefix>-000001`… into the org and returns their ids, in order. */
export async function seedUsers(orgId: string, count: number, prefix = crypto.randomUUID()): Promise<string[]> {
  const now = Date.now();
  await env.DB.prepare(
    `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?1)
     INSERT INTO users (id, org_id, user_name, user_name_norm, user_name_key, display_name, display_name_norm, active, version,
                        created_at, last_modified, data, setup_state)
     SELECT printf('%s-%06d', ?2, i), ?3, printf('user%06d@%s.example', i, ?2), printf('user%06d@%s.example', i, ?2),
            printf('user%06d@%s.example', i, ?2),
            printf('User %06d', i), printf('user %06d', i), 1, 1, ?4, ?4,
            json_object('userName', printf('user%06d@%s.example', i, ?2)), 'pending'
     FROM seq`,
  )
    .bind(count, prefix, orgId, now)
    .run();
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i + 1).padStart(6, "0")}`);
}

/**
 * Inserts one user per given id, in the order given, all created at the same instant `at`, in one
 * statement; the user names are `user000001@<prefix>.example`… in that order. With random ids, the
 * order rows were written in says nothing about the order of their ids.
 */
export async function seedUsersWithIds(
  orgId: string,
  ids: string[],
  { prefix = crypto.randomUUID(), at = Date.now() }: { prefix?: string; at?: number } = {},
): Promise<string[]> {
  await env.DB.prepare(
    `INSERT INTO users (id, org_id, user_name, user_name_norm, user_name_key, display_name, display_name_norm, active, version,
                        created_at, last_modified, data, setup_state)
     SELECT j.value, ?1, printf('user%06d@%s.example', j.key + 1, ?2), printf('user%06d@%s.example', j.key + 1, ?2),
            printf('user%06d@%s.example', j.key + 1, ?2),
            printf('User %06d', j.key + 1), printf('user %06d', j.key + 1), 1, 1, ?3, ?3,
            json_object('userName', printf('user%06d@%s.example', j.key + 1, ?2)), 'pending'
     FROM json_each(?4) AS j ORDER BY j.key`,
  )
    .bind(orgId, prefix, at, JSON.stringify(ids))
    .run();
  return ids;
}

/** Makes every given user a member of the group and sets its maintained member count. */
export async function seedMembers(orgId: string, groupId: string, userIds: string[]): Promise<void> {
  for (let i = 0; i < userIds.length; i += 40_000) {
    const part = userIds.slice(i, i + 40_000);
    await env.DB.prepare(
      `INSERT OR IGNORE INTO group_members (group_id, user_id, org_id) SELECT ?1, value, ?2 FROM json_each(?3)`,
    )
      .bind(groupId, orgId, JSON.stringify(part))
      .run();
  }
  await env.DB.prepare(`UPDATE groups SET member_count = (SELECT count(*) FROM group_members WHERE group_id = ?1) WHERE id = ?1`)
    .bind(groupId)
    .run();
}

export async function memberIds(groupId: string): Promise<string[]> {
  const { results } = await env.DB.prepare(`SELECT user_id FROM group_members WHERE group_id = ? ORDER BY user_id`)
    .bind(groupId)
    .all<{ user_id: string }>();
  return results.map((r) => r.user_id);
}

export async function groupRow(groupId: string) {
  return env.DB.prepare(`SELECT * FROM groups WHERE id = ?`).bind(groupId).first<{
    version: number;
    member_count: number;
    display_name: string;
    last_modified: number;
  }>();
}

/** Inserts a group (as the Groups resource stores one, without members) and returns its id. */
export async function seedGroup(orgId: string, displayName: string, id: string = crypto.randomUUID()): Promise<string> {
  const now = Date.now();
  await env.DB.prepare(
    `INSERT INTO groups (id, org_id, display_name, display_name_norm, version, created_at, last_modified, member_count, data)
     VALUES (?1, ?2, ?3, ?4, 1, ?5, ?5, 0, json_object('displayName', ?3))`,
  )
    .bind(id, orgId, displayName, fold(displayName), now)
    .run();
  return id;
}

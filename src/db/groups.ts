/**
 * Queries for the group aggregate: the group row and its membership rows.
 *
 * Membership is one row per (group, user). Sets of ids travel as ONE JSON parameter read with
 * json_each(?), which keeps every statement far below D1's 100-bound-parameter limit; sets larger
 * than MEMBER_CHUNK are split so that a single statement stays small and a request stays far below
 * production's 1,000 statements per invocation. Nothing here reads a whole member list to change it.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";
import { groupMembers, groups } from "./schema";

export type GroupRow = typeof groups.$inferSelect;

/** Ids per json_each statement. */
export const MEMBER_CHUNK = 40_000;
/** Members per keyset page when a member list is read (memory stays bounded for any group size). */
export const MEMBER_READ_CHUNK = 5_000;

export function chunks<T>(items: T[], size = MEMBER_CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

export async function findGroup(db: Db, orgId: string, groupId: string): Promise<GroupRow | undefined> {
  return db
    .select()
    .from(groups)
    .where(and(eq(groups.orgId, orgId), eq(groups.id, groupId)))
    .get();
}

export interface MemberStateRow {
  id: string;
  isUser: boolean;
  isMember: boolean;
}

/** For each given id: is it a user of the org, and is it a member of the group? */
export async function memberStates(db: Db, orgId: string, groupId: string | null, ids: string[]) {
  const states = new Map<string, { isUser: boolean; isMember: boolean }>();
  for (const part of chunks(ids)) {
    const rows = await db.all<{ id: string; is_user: number; is_member: number }>(sql`
      SELECT j.value AS id, u.id IS NOT NULL AS is_user, m.user_id IS NOT NULL AS is_member
      FROM json_each(${JSON.stringify(part)}) AS j
      LEFT JOIN users AS u ON u.id = j.value AND u.org_id = ${orgId}
      LEFT JOIN group_members AS m ON m.group_id = ${groupId} AND m.user_id = j.value`);
    for (const r of rows) states.set(r.id, { isUser: r.is_user === 1, isMember: r.is_member === 1 });
  }
  return states;
}

export function insertGroupStatement(db: Db, row: GroupRow) {
  return db.insert(groups).values(row);
}

/** Writes the group's attributes and bumps its version by one, guarded by the version it was read at. */
export function updateGroupStatement(
  db: Db,
  row: Pick<GroupRow, "id" | "orgId" | "displayName" | "displayNameNorm" | "externalId" | "data" | "memberCount">,
  expectedVersion: number,
  now: number,
) {
  return db
    .update(groups)
    .set({
      displayName: row.displayName,
      displayNameNorm: row.displayNameNorm,
      externalId: row.externalId,
      data: row.data,
      memberCount: row.memberCount,
      version: sql`${groups.version} + 1`,
      lastModified: now,
    })
    .where(and(eq(groups.id, row.id), eq(groups.orgId, row.orgId), eq(groups.version, expectedVersion)));
}

export function deleteGroupStatement(db: Db, orgId: string, groupId: string) {
  // group_members rows go with it (ON DELETE CASCADE).
  return db.delete(groups).where(and(eq(groups.orgId, orgId), eq(groups.id, groupId)));
}

// Statements meant for db.batch are built with query builders: drizzle's D1 batch cannot take db.run(sql).

/** `column IN (the ids of one JSON array parameter)`. */
function inJsonSet(column: SQL.Aliased | typeof groupMembers.userId | typeof groups.id, ids: string[]): SQL {
  return sql`${column} IN (SELECT j.value FROM json_each(${JSON.stringify(ids)}) AS j)`;
}

export function clearMembersStatement(db: Db, groupId: string) {
  return db.delete(groupMembers).where(eq(groupMembers.groupId, groupId));
}

export function insertMembersStatements(db: Db, orgId: string, groupId: string, userIds: string[]) {
  return chunks(userIds).map((part) =>
    db
      .insert(groupMembers)
      // `WHERE true` keeps SQLite from reading the upsert's ON CONFLICT as a join constraint.
      .select(sql`SELECT ${groupId}, j.value, ${orgId} FROM json_each(${JSON.stringify(part)}) AS j WHERE true`)
      .onConflictDoNothing(),
  );
}

export function deleteMembersStatements(db: Db, groupId: string, userIds: string[]) {
  return chunks(userIds).map((part) =>
    db.delete(groupMembers).where(and(eq(groupMembers.groupId, groupId), inJsonSet(groupMembers.userId, part))),
  );
}

/**
 * Deleting a user: every group it belonged to loses one member and gains one version, in the same
 * batch as the delete (which cascades the membership rows, emails, keys, sessions and setup links).
 */
export function bumpGroupsOfUserStatement(db: Db, orgId: string, userId: string, now: number) {
  return db
    .update(groups)
    .set({ version: sql`${groups.version} + 1`, lastModified: now, memberCount: sql`${groups.memberCount} - 1` })
    .where(
      and(
        eq(groups.orgId, orgId),
        sql`${groups.id} IN (SELECT ${groupMembers.groupId} FROM ${groupMembers} WHERE ${groupMembers.userId} = ${userId})`,
      ),
    );
}

export interface MemberRow {
  userId: string;
  userName: string;
  displayName: string | null;
}

/** One keyset page of a group's members, ordered by user id. */
export async function memberPage(db: Db, groupId: string, afterUserId: string, limit = MEMBER_READ_CHUNK) {
  const rows = await db.all<{ user_id: string; user_name: string; display_name: string | null }>(sql`
    SELECT m.user_id, u.user_name, u.display_name
    FROM group_members AS m JOIN users AS u ON u.id = m.user_id
    WHERE m.group_id = ${groupId} AND m.user_id > ${afterUserId}
    ORDER BY m.user_id
    LIMIT ${limit}`);
  return rows.map((r): MemberRow => ({ userId: r.user_id, userName: r.user_name, displayName: r.display_name }));
}

/** The whole member list, read in keyset chunks (ceil(n / MEMBER_READ_CHUNK) statements). */
export async function* allMembers(db: Db, groupId: string): AsyncGenerator<MemberRow[]> {
  let after = "";
  for (;;) {
    const page = await memberPage(db, groupId, after);
    if (page.length) yield page;
    if (page.length < MEMBER_READ_CHUNK) return;
    after = page[page.length - 1].userId;
  }
}

export type WriteStatement = BatchItem<"sqlite">;
export type { SQL };

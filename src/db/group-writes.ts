/**
 * The statements of group and membership writes, for the OrgWriter's batches.
 *
 * Membership is one row per (group, user). Sets of ids travel as ONE JSON parameter read with
 * json_each(?), which keeps every statement far below D1's 100-bound-parameter limit; sets larger
 * than MEMBER_CHUNK are split so that a single statement stays small and a request stays far below
 * production's 1,000 statements per invocation. Nothing here reads a whole member list to change it.
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { BatchItem } from "drizzle-orm/batch";
import type { Db } from "./client";
import type { GroupRow } from "./groups";
import { groupMembers, groups } from "./schema";

export type WriteStatement = BatchItem<"sqlite">;

/** Ids per json_each statement. */
export const MEMBER_CHUNK = 40_000;
/**
 * Bytes of one JSON id-set parameter: D1 refuses a string over 2,000,000 bytes (SQLITE_TOOBIG), so a
 * set of long ids is split earlier than MEMBER_CHUNK (40,000 UUIDs take about 1.6 MB).
 */
export const MEMBER_CHUNK_BYTES = 1_800_000;
/**
 * Longer ids are no user's (ours are UUIDs): they are answered "not a user, not a member" without
 * being sent to D1, so that a client's oversized value can never make a statement fail.
 */
export const MAX_MEMBER_ID_LENGTH = 256;
const encoder = new TextEncoder();

/** Splits ids into json_each parameters of at most `size` ids and MEMBER_CHUNK_BYTES bytes each. */
export function chunks(ids: string[], size = MEMBER_CHUNK): string[][] {
  const out: string[][] = [];
  let part: string[] = [];
  let bytes = 2;
  for (const id of ids) {
    const idBytes = encoder.encode(JSON.stringify(id)).length + 1;
    if (part.length && (part.length >= size || bytes + idBytes > MEMBER_CHUNK_BYTES)) {
      out.push(part);
      part = [];
      bytes = 2;
    }
    part.push(id);
    bytes += idBytes;
  }
  if (part.length) out.push(part);
  return out;
}

/** A (group, id) question of the writer's pre-read (./writer-reads); a null group asks only whether the id is a user. */
export interface MemberQuestion {
  groupId: string | null;
  id: string;
}

/** The key of a (group, id) answer in the writer's pre-read. */
export function memberKey(groupId: string | null, id: string): string {
  return `${groupId ?? ""}\u0000${id}`;
}

/** A statement built with Drizzle as a D1 prepared statement, so that it can share a batch with raw ones. */
export function prepared(d1: D1Database, statement: WriteStatement): D1PreparedStatement {
  const query = (statement as unknown as { toSQL(): { sql: string; params: unknown[] } }).toSQL();
  return d1.prepare(query.sql).bind(...query.params);
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
    .set({
      version: sql`${groups.version} + 1`,
      lastModified: sql`max(${groups.lastModified}, ${now})`,
      memberCount: sql`${groups.memberCount} - 1`,
    })
    .where(
      and(
        eq(groups.orgId, orgId),
        sql`${groups.id} IN (SELECT ${groupMembers.groupId} FROM ${groupMembers} WHERE ${groupMembers.userId} = ${userId})`,
      ),
    );
}

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
import type { AttributeMap } from "../scim/filter/attribute-map";
import type { GroupMember, StoredGroup } from "../scim/resource/group";
import type { UserGroup } from "../scim/resource/user";
import type { Db } from "./client";
import type { RelatedQuery } from "./list-page";
import { listPage, type ListQuery } from "./list-page";
import { groupMembers, groups } from "./schema";

export type GroupRow = typeof groups.$inferSelect;

/**
 * Where each filterable Group attribute lives. Every stored Group attribute has a column, so the
 * JSON fallback is never read; members live only in membership rows (`exclusive`), their `display`
 * being the member user's displayName, else its userName, as rendered.
 */
export const GROUP_ATTRIBUTE_MAP: AttributeMap = {
  rowId: "g.id",
  json: "g.data",
  columns: {
    id: { sql: "g.id", notNull: true },
    externalid: { sql: "g.external_id" },
    displayname: { sql: "g.display_name_norm", folded: true, notNull: true },
    "meta.created": { sql: "g.created_at", epochMs: true, notNull: true },
    "meta.lastmodified": { sql: "g.last_modified", epochMs: true, notNull: true },
  },
  children: {
    members: {
      exclusive: true,
      // Driven from the org's users: group_members has no org index, and user rows carry the display.
      ownerIds: "SELECT gm.group_id FROM users mu JOIN group_members gm ON gm.user_id = mu.id WHERE mu.org_id = ?",
      columns: {
        value: { sql: "gm.user_id" },
        display: { sql: "COALESCE(mu.display_name_norm, mu.user_name_norm)", folded: true },
      },
      sortValue: (column) =>
        `(SELECT ${column} FROM group_members gm JOIN users mu ON mu.id = gm.user_id WHERE gm.group_id = g.id ORDER BY ${column} LIMIT 1)`,
    },
  },
};

/** Default list order: creation (then id, as always), so that pages are stable while groups are added. */
export const DEFAULT_GROUP_ORDER = "g.created_at";

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
/** Members per keyset page when a member list is read (memory stays bounded for any group size). */
export const MEMBER_READ_CHUNK = 5_000;

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

export async function findGroup(db: Db, orgId: string, groupId: string): Promise<GroupRow | undefined> {
  return db
    .select()
    .from(groups)
    .where(and(eq(groups.orgId, orgId), eq(groups.id, groupId)))
    .get();
}

/** For each given id: is it a user of the org, and is it a member of the group? Absent: neither. */
export async function memberStates(db: Db, orgId: string, groupId: string | null, ids: string[]) {
  const states = new Map<string, { isUser: boolean; isMember: boolean }>();
  for (const part of chunks(ids.filter((id) => id.length <= MAX_MEMBER_ID_LENGTH))) {
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

export type MemberRow = GroupMember;

interface MemberRecord {
  group_id: string;
  user_id: string;
  user_name: string;
  display_name: string | null;
}

const toMember = (r: MemberRecord): MemberRow => ({ userId: r.user_id, userName: r.user_name, displayName: r.display_name });

const MEMBER_COLUMNS = sql`m.group_id, m.user_id, u.user_name, u.display_name`;

/**
 * The members of some groups after the keyset cursor (group, user), ordered by (group, user): the
 * primary key (group_id, user_id) serves the order. Groups before the cursor's are left out of the
 * set, so a chunk never revisits them.
 */
function pageMemberChunk(db: Db, groupIds: string[], after: { group: string; user: string }, limit: number) {
  return db.all<MemberRecord>(sql`
    SELECT ${MEMBER_COLUMNS}
    FROM group_members AS m JOIN users AS u ON u.id = m.user_id
    WHERE m.group_id IN (SELECT j.value FROM json_each(${JSON.stringify(groupIds)}) AS j WHERE j.value >= ${after.group})
      AND (m.group_id > ${after.group} OR m.user_id > ${after.user})
    ORDER BY m.group_id, m.user_id
    LIMIT ${limit}`);
}

/** One group's members after a user id: a range seek on the primary key. */
function groupMemberChunk(db: Db, groupId: string, afterUser: string, limit: number) {
  return db.all<MemberRecord>(sql`
    SELECT ${MEMBER_COLUMNS}
    FROM group_members AS m JOIN users AS u ON u.id = m.user_id
    WHERE m.group_id = ${groupId} AND m.user_id > ${afterUser}
    ORDER BY m.user_id
    LIMIT ${limit}`);
}

/**
 * Reads in keyset chunks of `chunkSize`, asking for one row more than it yields so that the last
 * chunk is known without an empty read: exactly ceil(n / chunkSize) statements (one for n = 0).
 */
async function* keysetChunks(
  read: (after: { group: string; user: string }, limit: number) => Promise<MemberRecord[]>,
  chunkSize: number,
): AsyncGenerator<MemberRecord[]> {
  let after = { group: "", user: "" };
  for (;;) {
    const rows = await read(after, chunkSize + 1);
    const more = rows.length > chunkSize;
    if (more) rows.length = chunkSize;
    if (rows.length) yield rows;
    if (!more) return;
    const last = rows[rows.length - 1];
    after = { group: last.group_id, user: last.user_id };
  }
}

/** One group's whole member list, chunk by chunk, so that memory stays bounded for any group size. */
export async function* allMembers(db: Db, groupId: string, chunkSize = MEMBER_READ_CHUNK): AsyncGenerator<MemberRow[]> {
  const chunks = keysetChunks((after, limit) => groupMemberChunk(db, groupId, after.user, limit), chunkSize);
  for await (const rows of chunks) yield rows.map(toMember);
}

/** The members of a page of groups, in one keyset-chunked query for the whole page (never one per group). */
export async function membersOfGroups(db: Db, groupIds: string[]): Promise<Map<string, MemberRow[]>> {
  const byGroup = new Map<string, MemberRow[]>(groupIds.map((id) => [id, []]));
  if (groupIds.length === 0) return byGroup;
  const chunks = keysetChunks((after, limit) => pageMemberChunk(db, groupIds, after, limit), MEMBER_READ_CHUNK);
  for await (const rows of chunks) {
    for (const r of rows) byGroup.get(r.group_id)?.push(toMember(r));
  }
  return byGroup;
}

/**
 * The groups of some users of the org, in one statement, by display name within each user. CROSS JOIN
 * keeps SQLite from starting at the org's groups: the memberships of the given users are few.
 */
export async function groupsOfUsers(db: Db, orgId: string, userIds: string[]): Promise<Map<string, UserGroup[]>> {
  if (userIds.length === 0) return new Map();
  const query = groupsOfUsersQuery(orgId);
  const rows = await db.$client
    .prepare(query.sql("SELECT j.value FROM json_each(?) AS j"))
    .bind(JSON.stringify(userIds), ...query.params)
    .all<UserGroupRow>();
  return groupUserGroups(userIds, rows.results);
}

export interface UserGroupRow {
  user_id: string;
  group_id: string;
  display_name: string;
}

/** The groups of the users a subquery yields (e.g. a list page, in the page's own batch). */
export function groupsOfUsersQuery(orgId: string): RelatedQuery {
  return {
    sql: (userIds) => `
      SELECT gm.user_id, g.id AS group_id, g.display_name
      FROM group_members AS gm CROSS JOIN groups AS g ON g.id = gm.group_id
      WHERE gm.user_id IN (${userIds}) AND g.org_id = ?
      ORDER BY gm.user_id, g.display_name_norm, g.id`,
    params: [orgId],
  };
}

export function groupUserGroups(userIds: string[], rows: UserGroupRow[]): Map<string, UserGroup[]> {
  const byUser = new Map<string, UserGroup[]>(userIds.map((id) => [id, []]));
  for (const r of rows) byUser.get(r.user_id)?.push({ groupId: r.group_id, displayName: r.display_name });
  return byUser;
}

/** One page of groups and the filter's true total: two statements in one batch (see listPage). */
export async function listGroups(db: Db, orgId: string, query: ListQuery): Promise<{ total: number; groups: StoredGroup[] }> {
  const columns = `g.id AS id, g.version AS version, g.created_at AS createdAt, g.last_modified AS lastModified,
                   g.data AS data, g.member_count AS memberCount`;
  const { total, rows } = await listPage<StoredGroup>(db, "groups g", columns, orgId, query);
  return { total, groups: rows };
}

export type WriteStatement = BatchItem<"sqlite">;
export type { SQL };

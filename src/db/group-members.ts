/**
 * Reading groups' member lists: always in keyset chunks on the (group_id, user_id) primary key, so
 * memory and statement size stay bounded whatever a group's size.
 */
import { sql } from "drizzle-orm";
import type { GroupMember, StoredGroup } from "../scim/resource/group";
import type { Db } from "./client";
import type { RelatedQuery } from "./list-page";

/** Members per keyset page when a member list is read (memory stays bounded for any group size). */
export const MEMBER_READ_CHUNK = 5_000;

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
  start = { group: "", user: "" },
): AsyncGenerator<MemberRecord[]> {
  let after = start;
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

/**
 * One group's whole member list (after `afterUser`, when the first chunk was read already), chunk by
 * chunk, so that memory stays bounded for any group size.
 */
export async function* allMembers(db: Db, groupId: string, chunkSize = MEMBER_READ_CHUNK, afterUser = ""): AsyncGenerator<MemberRow[]> {
  const chunks = keysetChunks((after, limit) => groupMemberChunk(db, groupId, after.user, limit), chunkSize, { group: "", user: afterUser });
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

const GROUP_COLUMNS = `id, version, created_at AS createdAt, last_modified AS lastModified, data, member_count AS memberCount`;

/**
 * A group as GET /Groups/{id} renders it, in one round trip: the row and its first chunk of members.
 * `complete`: `members` is the whole list; otherwise it is the first chunk, and the rest follows in
 * keyset chunks after its last user (allMembers' `afterUser`).
 */
export async function findGroupWithMembers(
  db: Db,
  orgId: string,
  groupId: string,
  withMembers: boolean,
): Promise<{ group: StoredGroup; members?: MemberRow[]; complete?: boolean } | undefined> {
  const d1 = db.$client;
  const row = d1.prepare(`SELECT ${GROUP_COLUMNS} FROM groups WHERE org_id = ? AND id = ?`).bind(orgId, groupId);
  if (!withMembers) {
    const group = await row.first<StoredGroup>();
    return group ? { group } : undefined;
  }
  const [groups, chunk] = await d1.batch([row, firstMembersStatement(d1, groupId)]);
  const group = groups.results[0] as StoredGroup | undefined;
  if (!group) return undefined;
  return { group, ...firstMembersOf(chunk) };
}

/**
 * A group's first chunk of members, and one row more, as one statement: to ride in a read's or a
 * write's batch (the OrgWriter answers a POST or PUT /Groups with it, read after the write in the
 * same round trip). Decode its result with firstMembersOf.
 */
export function firstMembersStatement(d1: D1Database, groupId: string): D1PreparedStatement {
  return d1
    .prepare(
      `SELECT m.group_id, m.user_id, u.user_name, u.display_name
       FROM group_members AS m JOIN users AS u ON u.id = m.user_id
       WHERE m.group_id = ? ORDER BY m.user_id LIMIT ?`,
    )
    .bind(groupId, MEMBER_READ_CHUNK + 1);
}

/** The first chunk of members; `complete` when it is the whole list (else the rest follows it in keyset chunks). */
export interface FirstMembers {
  members: MemberRow[];
  complete: boolean;
}

export function firstMembersOf(result: D1Result | undefined): FirstMembers {
  const rows = (result?.results ?? []) as MemberRecord[];
  return { members: rows.slice(0, MEMBER_READ_CHUNK).map(toMember), complete: rows.length <= MEMBER_READ_CHUNK };
}

/**
 * The members of a page of groups, to ride in the page's own batch (see listPage): at most one chunk
 * and one row more, so that a page whose groups hold more than a chunk in all is known to be one.
 */
export function membersOfPageQuery(): RelatedQuery {
  return {
    sql: (groupIds) => `
      SELECT m.group_id, m.user_id, u.user_name, u.display_name
      FROM (${groupIds}) AS page
      CROSS JOIN group_members AS m ON m.group_id = page.id
      JOIN users AS u ON u.id = m.user_id
      ORDER BY m.group_id, m.user_id
      LIMIT ?`,
    params: [MEMBER_READ_CHUNK + 1],
  };
}

/** The rows of membersOfPageQuery by group, or undefined when they were cut at the chunk's size. */
export function pageMembers(groupIds: string[], rows: unknown[]): Map<string, MemberRow[]> | undefined {
  if (rows.length > MEMBER_READ_CHUNK) return undefined;
  const byGroup = new Map<string, MemberRow[]>(groupIds.map((id) => [id, []]));
  for (const r of rows as MemberRecord[]) byGroup.get(r.group_id)?.push(toMember(r));
  return byGroup;
}

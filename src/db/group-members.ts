/**
 * Reading groups' member lists: always in keyset chunks on the (group_id, user_id) primary key, so
 * memory and statement size stay bounded whatever a group's size.
 */
import { sql } from "drizzle-orm";
import type { GroupMember } from "../scim/resource/group";
import type { Db } from "./client";

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

/**
 * What the OrgWriter reads before a batch of writes, in ONE D1 round trip however many writes share
 * the batch: the group rows and user rows they name and the (group, id) member states they ask about,
 * sent as one db.batch (a member set larger than one JSON parameter adds statements, not round trips).
 * Rows come back under the names the rest of the code uses, so no ORM mapping is needed.
 */
import type { StoredUser } from "../scim/resource/user";
import type { Db } from "./client";
import { chunks, MAX_MEMBER_ID_LENGTH, memberKey, type MemberQuestion } from "./group-writes";
import type { GroupRow } from "./groups";

export interface MemberState {
  isUser: boolean;
  isMember: boolean;
}

export interface WriterPreRead {
  groups: Map<string, GroupRow>;
  users: Map<string, StoredUser>;
  /** By memberKey(group, id); absent: neither a user nor a member. */
  states: Map<string, MemberState>;
}

const GROUPS_SQL = `
  SELECT id, org_id AS orgId, display_name AS displayName, display_name_norm AS displayNameNorm,
         external_id AS externalId, version, created_at AS createdAt, last_modified AS lastModified,
         member_count AS memberCount, data
  FROM groups WHERE org_id = ? AND id IN (SELECT j.value FROM json_each(?) AS j)`;

const USERS_SQL = `
  SELECT id, version, created_at AS createdAt, last_modified AS lastModified, data
  FROM users WHERE org_id = ? AND id IN (SELECT j.value FROM json_each(?) AS j)`;

/** Each element of the JSON parameter is a [group or null, id] pair. */
const STATES_SQL = `
  SELECT json_extract(j.value, '$[0]') AS g, json_extract(j.value, '$[1]') AS id,
         u.id IS NOT NULL AS is_user, m.user_id IS NOT NULL AS is_member
  FROM json_each(?) AS j
  LEFT JOIN users AS u ON u.id = json_extract(j.value, '$[1]') AND u.org_id = ?
  LEFT JOIN group_members AS m ON m.group_id = json_extract(j.value, '$[0]') AND m.user_id = json_extract(j.value, '$[1]')`;

export async function writerPreRead(
  db: Db,
  orgId: string,
  groupIds: string[],
  userIds: string[],
  questions: MemberQuestion[],
): Promise<WriterPreRead> {
  const d1 = db.$client;
  const read: WriterPreRead = { groups: new Map(), users: new Map(), states: new Map() };
  const statements: D1PreparedStatement[] = [];
  const decoders: ((rows: unknown[]) => void)[] = [];
  if (groupIds.length) {
    statements.push(d1.prepare(GROUPS_SQL).bind(orgId, JSON.stringify(groupIds)));
    decoders.push((rows) => (rows as GroupRow[]).forEach((g) => read.groups.set(g.id, g)));
  }
  if (userIds.length) {
    statements.push(d1.prepare(USERS_SQL).bind(orgId, JSON.stringify(userIds)));
    decoders.push((rows) => (rows as StoredUser[]).forEach((u) => read.users.set(u.id, u)));
  }
  // Longer ids are no user's (ours are UUIDs): "neither" without asking D1 (see MAX_MEMBER_ID_LENGTH).
  const pairs = questions.filter((q) => q.id.length <= MAX_MEMBER_ID_LENGTH).map((q) => JSON.stringify([q.groupId, q.id]));
  for (const part of chunks(pairs)) {
    statements.push(d1.prepare(STATES_SQL).bind(`[${part.join(",")}]`, orgId));
    decoders.push((rows) => {
      for (const r of rows as { g: string | null; id: string; is_user: number; is_member: number }[]) {
        read.states.set(memberKey(r.g, r.id), { isUser: r.is_user === 1, isMember: r.is_member === 1 });
      }
    });
  }
  if (statements.length === 0) return read;
  const results = await d1.batch(statements);
  results.forEach((result, i) => decoders[i](result.results));
  return read;
}

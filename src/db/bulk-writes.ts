/**
 * The reads and writes of a Bulk request (src/org-writer/bulk), each a fixed number of statements
 * whatever the number of operations: sets of ids and whole rows travel as JSON parameters read with
 * json_each, split only when a parameter would pass D1's size limit. A Bulk request of 1,000
 * operations therefore runs a few dozen statements, far below the 1,000 a Worker or Durable Object
 * invocation may run.
 */
import type { UserRecord } from "../scim/resource/user";
import type { GroupRow } from "./groups";
import type { Db } from "./client";
import { MAX_MEMBER_ID_LENGTH, MEMBER_CHUNK_BYTES } from "./group-writes";

const encoder = new TextEncoder();

/** Splits values into JSON array parameters of at most MEMBER_CHUNK_BYTES bytes each. */
export function jsonChunks(values: unknown[]): string[] {
  const out: string[] = [];
  let part: string[] = [];
  let bytes = 2;
  for (const value of values) {
    const text = JSON.stringify(value);
    const size = encoder.encode(text).length + 1;
    if (part.length && bytes + size > MEMBER_CHUNK_BYTES) {
      out.push(`[${part.join(",")}]`);
      part = [];
      bytes = 2;
    }
    part.push(text);
    bytes += size;
  }
  if (part.length) out.push(`[${part.join(",")}]`);
  return out;
}

/** A user as Bulk plans against it; `data` only where the plan needs the resource. */
export interface BulkUserRow {
  id: string;
  version: number;
  createdAt: number;
  lastModified: number;
  /** The userName's uniqueness key (PRECIS, see src/scim/text.ts userNameKey). */
  userNameKey: string;
  data: string | null;
}

/** What a Bulk plan asks the database, each a set of keys. */
export interface BulkFactQuery {
  /** Users whose stored resource is needed (PUT and PATCH targets). */
  usersWithData: string[];
  /** Users whose existence and version are enough (members, DELETE targets). */
  users: string[];
  userNames: string[];
  groups: string[];
  groupNames: string[];
  /** [groupId, userId] pairs whose membership is needed. */
  pairs: [string, string][];
  /** Users whose groups are needed (DELETE of a user bumps each of them). */
  groupsOfUsers: string[];
}

export interface BulkFacts {
  users: BulkUserRow[];
  userNames: { name: string; id: string }[];
  groups: GroupRow[];
  groupNames: { name: string; id: string }[];
  pairs: { groupId: string; userId: string }[];
  groupsOfUsers: { groupId: string; userId: string }[];
}

/** Reads every fact a plan asked for, in one batch (one statement per kind, split only by size). */
export async function readBulkFacts(db: Db, orgId: string, query: BulkFactQuery): Promise<BulkFacts> {
  const d1 = db.$client;
  const short = (ids: string[]) => ids.filter((id) => id.length <= MAX_MEMBER_ID_LENGTH);
  const statements: { kind: keyof BulkFacts; statement: D1PreparedStatement }[] = [];
  const add = (kind: keyof BulkFacts, sql: string, values: unknown[]) => {
    for (const chunk of jsonChunks(values)) statements.push({ kind, statement: d1.prepare(sql).bind(orgId, chunk) });
  };
  const userColumns = "id, version, created_at AS createdAt, last_modified AS lastModified, user_name_key AS userNameKey";
  add("users", `SELECT ${userColumns}, data FROM users WHERE org_id = ? AND id IN (SELECT value FROM json_each(?))`, short(query.usersWithData));
  add("users", `SELECT ${userColumns}, NULL AS data FROM users WHERE org_id = ? AND id IN (SELECT value FROM json_each(?))`, short(query.users));
  add("userNames", "SELECT user_name_key AS name, id FROM users WHERE org_id = ? AND user_name_key IN (SELECT value FROM json_each(?))", query.userNames);
  add(
    "groups",
    `SELECT id, org_id AS orgId, display_name AS displayName, display_name_norm AS displayNameNorm, external_id AS externalId,
            version, created_at AS createdAt, last_modified AS lastModified, member_count AS memberCount, data
     FROM groups WHERE org_id = ? AND id IN (SELECT value FROM json_each(?))`,
    short(query.groups),
  );
  add("groupNames", "SELECT display_name_norm AS name, id FROM groups WHERE org_id = ? AND display_name_norm IN (SELECT value FROM json_each(?))", query.groupNames);
  add(
    "pairs",
    `SELECT m.group_id AS groupId, m.user_id AS userId FROM json_each(?2) AS j
     CROSS JOIN group_members AS m ON m.group_id = json_extract(j.value, '$[0]') AND m.user_id = json_extract(j.value, '$[1]')
     WHERE m.org_id = ?1`,
    query.pairs.filter(([g, u]) => g.length <= MAX_MEMBER_ID_LENGTH && u.length <= MAX_MEMBER_ID_LENGTH),
  );
  add(
    "groupsOfUsers",
    `SELECT m.group_id AS groupId, m.user_id AS userId FROM json_each(?2) AS j
     CROSS JOIN group_members AS m ON m.user_id = j.value WHERE m.org_id = ?1`,
    short(query.groupsOfUsers),
  );
  const facts: BulkFacts = { users: [], userNames: [], groups: [], groupNames: [], pairs: [], groupsOfUsers: [] };
  if (!statements.length) return facts;
  const results = await d1.batch(statements.map((s) => s.statement));
  results.forEach((result, i) => (facts[statements[i].kind] as unknown[]).push(...result.results));
  return facts;
}

/** A user row to insert or to write over the stored one (`version` and `lastModified` are final). */
export type BulkUserWrite = UserRecord & { id: string; version: number; createdAt: number; lastModified: number };

export interface BulkWrites {
  /** Users that must still be at these versions (updated or deleted ones, read before the plan). */
  userVersions: { id: string; version: number }[];
  insertUsers: BulkUserWrite[];
  updateUsers: BulkUserWrite[];
  insertGroups: GroupRow[];
  /** Final group rows, guarded by the version they were read at. */
  updateGroups: { row: GroupRow; readVersion: number }[];
  /** Groups whose every member row goes before the inserts (a replace happened). */
  clearGroups: string[];
  deletePairs: [string, string][];
  insertPairs: [string, string][];
  deleteGroups: string[];
  deleteUsers: string[];
  /** Updated users and groups whose folded name changes: see writeBulk. */
  renamedUsers: string[];
  renamedGroups: string[];
}

/**
 * Refuses the whole batch (which writes nothing then) unless every listed user is still at the
 * version the plan read: a user written by a concurrent request sends the plan back to be redone.
 * SQLite has no RAISE outside triggers; json() of a non-JSON text is an error that aborts the batch.
 */
export const STALE_PLAN_MARKER = "edge-scim bulk: stale read";

function staleGuard(d1: D1Database, orgId: string, chunk: string, count: number) {
  return d1
    .prepare(
      `SELECT CASE WHEN (SELECT count(*) FROM json_each(?) AS j JOIN users AS u
         ON u.id = json_extract(j.value, '$.id') AND u.org_id = ? AND u.version = json_extract(j.value, '$.version')) = ?
       THEN 1 ELSE json(?) END AS fresh`,
    )
    .bind(chunk, orgId, count, STALE_PLAN_MARKER);
}

export function isStalePlan(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e.message.includes("malformed JSON")) return true;
  }
  return false;
}

const USER_COLUMNS = [
  ["user_name", "userName"],
  ["user_name_norm", "userNameNorm"],
  ["external_id", "externalId"],
  ["display_name", "displayName"],
  ["display_name_norm", "displayNameNorm"],
  ["given_name_norm", "givenNameNorm"],
  ["family_name_norm", "familyNameNorm"],
  ["active", "active"],
  ["data", "data"],
  ["data_norm", "dataNorm"],
  ["version", "version"],
  ["last_modified", "lastModified"],
] as const;

const field = (key: string) => `json_extract(j.value, '$.${key}')`;

function userRow(u: BulkUserWrite) {
  const { emails: _emails, ...row } = u;
  return { ...row, active: u.active ? 1 : 0 };
}

const GROUP_COLUMNS = [
  ["display_name", "displayName"],
  ["display_name_norm", "displayNameNorm"],
  ["external_id", "externalId"],
  ["data", "data"],
  ["member_count", "memberCount"],
  ["version", "version"],
  ["last_modified", "lastModified"],
] as const;

/**
 * Every write of a Bulk plan, in one atomic batch. Names are unique per organization and SQLite checks
 * that row by row, so the order matters: deletions go first (a name they free may be reused), and
 * renamed users and groups first take a placeholder name only they can hold (NUL and their id), so
 * that names passed around within the request (a rename onto a name another one leaves, a swap)
 * never meet mid-statement; the final names land with the update, before any insert.
 */
export async function writeBulk(
  db: Db,
  orgId: string,
  w: BulkWrites,
  events: { before: D1PreparedStatement[]; after: D1PreparedStatement[] },
): Promise<void> {
  const d1 = db.$client;
  const statements: D1PreparedStatement[] = [];
  const each = (values: unknown[], sql: string, bind: (chunk: string) => unknown[]) => {
    for (const chunk of jsonChunks(values)) statements.push(d1.prepare(sql).bind(...bind(chunk)));
  };
  for (const chunk of jsonChunks(w.userVersions)) statements.push(staleGuard(d1, orgId, chunk, (JSON.parse(chunk) as unknown[]).length));
  // The request's events (src/db/events.ts) are in this batch, so they exist exactly when its writes
  // do; some are read from the rows the writes change, so they go before them.
  statements.push(...events.before);

  // Membership rows, emails, keys, sessions and setup links go with their group or user (ON DELETE CASCADE).
  each(w.deleteGroups, "DELETE FROM groups WHERE org_id = ? AND id IN (SELECT value FROM json_each(?))", (chunk) => [orgId, chunk]);
  each(w.deleteUsers, "DELETE FROM users WHERE org_id = ? AND id IN (SELECT value FROM json_each(?))", (chunk) => [orgId, chunk]);

  each(
    w.renamedUsers,
    "UPDATE users SET user_name_norm = char(0) || id, user_name_key = char(0) || id WHERE org_id = ? AND id IN (SELECT value FROM json_each(?))",
    (chunk) => [orgId, chunk],
  );
  each(
    w.updateUsers.map(userRow),
    `UPDATE users SET ${USER_COLUMNS.map(([c, k]) => `${c} = ${field(k)}`).join(", ")},
       user_name_key = CASE WHEN users.user_name = ${field("userName")} THEN users.user_name_key ELSE ${field("userNameKey")} END,
       user_name_key_version = CASE WHEN users.user_name = ${field("userName")} THEN users.user_name_key_version ELSE 1 END
     FROM json_each(?) AS j WHERE users.id = ${field("id")} AND users.org_id = ?`,
    (chunk) => [chunk, orgId],
  );
  each(
    w.insertUsers.map(userRow),
    `INSERT INTO users (id, org_id, ${USER_COLUMNS.map(([c]) => c).join(", ")}, user_name_key, created_at)
     SELECT ${field("id")}, ?, ${USER_COLUMNS.map(([, k]) => field(k)).join(", ")}, ${field("userNameKey")}, ${field("createdAt")} FROM json_each(?) AS j`,
    (chunk) => [orgId, chunk],
  );
  each(w.updateUsers.map((u) => u.id), "DELETE FROM user_emails WHERE user_id IN (SELECT value FROM json_each(?))", (chunk) => [chunk]);
  const emails = [...w.insertUsers, ...w.updateUsers].flatMap((u) =>
    u.emails.map((e, position) => ({ u: u.id, p: position, v: e.valueNorm, t: e.typeNorm, pr: e.primary ? 1 : 0 })),
  );
  each(
    emails,
    `INSERT INTO user_emails (user_id, position, org_id, value_norm, type_norm, "primary")
     SELECT ${field("u")}, ${field("p")}, ?, ${field("v")}, ${field("t")}, ${field("pr")} FROM json_each(?) AS j`,
    (chunk) => [orgId, chunk],
  );

  each(
    w.renamedGroups,
    "UPDATE groups SET display_name_norm = char(0) || id WHERE org_id = ? AND id IN (SELECT value FROM json_each(?))",
    (chunk) => [orgId, chunk],
  );
  each(
    w.updateGroups.map(({ row, readVersion }) => ({ ...row, readVersion })),
    `UPDATE groups SET ${GROUP_COLUMNS.map(([c, k]) => `${c} = ${field(k)}`).join(", ")}
     FROM json_each(?) AS j WHERE groups.id = ${field("id")} AND groups.org_id = ? AND groups.version = ${field("readVersion")}`,
    (chunk) => [chunk, orgId],
  );
  each(
    w.insertGroups,
    `INSERT INTO groups (id, org_id, ${GROUP_COLUMNS.map(([c]) => c).join(", ")}, created_at)
     SELECT ${field("id")}, ?, ${GROUP_COLUMNS.map(([, k]) => field(k)).join(", ")}, ${field("createdAt")} FROM json_each(?) AS j`,
    (chunk) => [orgId, chunk],
  );
  each(w.clearGroups, "DELETE FROM group_members WHERE group_id IN (SELECT value FROM json_each(?))", (chunk) => [chunk]);
  each(
    w.deletePairs,
    `DELETE FROM group_members WHERE (group_id, user_id) IN
       (SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]') FROM json_each(?) AS j)`,
    (chunk) => [chunk],
  );
  each(
    w.insertPairs,
    // `WHERE true` keeps SQLite from reading the upsert's ON CONFLICT as a join constraint.
    `INSERT INTO group_members (group_id, user_id, org_id)
     SELECT json_extract(j.value, '$[0]'), json_extract(j.value, '$[1]'), ? FROM json_each(?) AS j WHERE true
     ON CONFLICT DO NOTHING`,
    (chunk) => [orgId, chunk],
  );
  statements.push(...events.after);
  if (statements.length) await d1.batch(statements);
}

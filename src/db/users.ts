/**
 * Queries for the user aggregate: a `users` row (indexed columns + the stored resource as JSON) and
 * one `user_emails` row per email.
 *
 * D1 has no interactive transactions, so every write is one `db.batch` (atomic). Updates are
 * optimistic: every statement of the batch is conditioned on the version the caller read, so a
 * batch that lost a race changes nothing at all and the caller re-reads and retries. userName
 * uniqueness is the unique index's decision on user_name_key, also under races. Deletion belongs to the OrgWriter
 * (src/db/user-deletion.ts), since it changes the groups the user leaves.
 */
import { and, eq } from "drizzle-orm";
import type { StoredUser, UserGroup, UserRecord } from "../scim/resource/user";
import type { Db } from "./client";
import { isUniqueViolation } from "./errors";
import { insertEventsStatements, type OutboxEvent } from "./events";
import { groupsOfUsersQuery, groupUserGroups, type UserGroupRow } from "./user-groups";
import { listPage, type ListQuery } from "./list-page";
import { users } from "./schema";


const storedColumns = {
  id: users.id,
  version: users.version,
  createdAt: users.createdAt,
  lastModified: users.lastModified,
  data: users.data,
};

export function findUser(db: Db, orgId: string, id: string): Promise<StoredUser | undefined> {
  return db
    .select(storedColumns)
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, id)))
    .get();
}

/*
 * Writes are D1 prepared statements batched through the binding: Drizzle 0.45 drops the bindings of
 * raw-SQL items inside db.batch on D1, and the guarded statements below need raw SQL.
 */

const COLUMNS = [
  "user_name",
  "user_name_norm",
  "external_id",
  "display_name",
  "display_name_norm",
  "given_name_norm",
  "family_name_norm",
  "active",
  "data",
  "data_norm",
] as const;

function columnValues(record: UserRecord): unknown[] {
  return [
    record.userName,
    record.userNameNorm,
    record.externalId,
    record.displayName,
    record.displayNameNorm,
    record.givenNameNorm,
    record.familyNameNorm,
    record.active ? 1 : 0,
    record.data,
    record.dataNorm,
  ];
}

/**
 * An update keeps the stored key while the userName stays exactly as it was (SET reads the old row):
 * a user that kept a distinguishing key after migration 0005 can still be updated by its identity
 * provider, and a row still waiting for the Worker's recomputation stays marked. A rename takes the
 * new name's key. Binds: the new userName, its key, the new userName.
 */
const KEEP_KEY_UNLESS_RENAMED = `user_name_key = CASE WHEN user_name = ? THEN user_name_key ELSE ? END,
  user_name_key_version = CASE WHEN user_name = ? THEN user_name_key_version ELSE 1 END`;

/** The guard of every optimistic statement: the user is still at the version the caller read. */
const AT_VERSION = "EXISTS (SELECT 1 FROM users WHERE id = ? AND org_id = ? AND version = ?)";

/** All emails in one statement whatever their number: the list travels as one JSON parameter. */
function insertEmails(d1: D1Database, orgId: string, id: string, record: UserRecord, version: number) {
  const rows = JSON.stringify(record.emails.map((e) => ({ v: e.valueNorm, t: e.typeNorm, p: e.primary ? 1 : 0 })));
  return d1
    .prepare(
      `INSERT INTO user_emails (user_id, position, org_id, value_norm, type_norm, "primary")
       SELECT ?, CAST(j.key AS INTEGER), ?, json_extract(j.value, '$.v'), json_extract(j.value, '$.t'), json_extract(j.value, '$.p')
       FROM json_each(?) j WHERE ${AT_VERSION}`,
    )
    .bind(id, orgId, rows, id, orgId, version);
}

export type UserWriteOutcome = { ok: true; user: StoredUser } | { ok: false; reason: "userNameTaken" | "stale" };

/** Whether a failed write collided with another user's userName (its PRECIS key, or the older fold). */
export function isUserNameTaken(error: unknown): boolean {
  return isUniqueViolation(error, "users.org_id, users.user_name_key") || isUniqueViolation(error, "users.org_id, users.user_name_norm");
}

async function batch(d1: D1Database, statements: D1PreparedStatement[]): Promise<D1Result[] | "userNameTaken"> {
  try {
    return await d1.batch(statements);
  } catch (error) {
    if (isUserNameTaken(error)) return "userNameTaken";
    throw error;
  }
}

/** Inserts the user with its emails and its events (the outbox rows of the same batch; see ./events). */
export async function insertUser(
  db: Db,
  orgId: string,
  id: string,
  record: UserRecord,
  now: number,
  events: (user: StoredUser) => OutboxEvent[],
): Promise<UserWriteOutcome> {
  const d1 = db.$client;
  const insert = d1
    .prepare(
      `INSERT INTO users (id, org_id, ${COLUMNS.join(", ")}, user_name_key, version, created_at, last_modified)
       VALUES (?, ?, ${COLUMNS.map(() => "?").join(", ")}, ?, 1, ?, ?)`,
    )
    .bind(id, orgId, ...columnValues(record), record.userNameKey, now, now);
  const user: StoredUser = { id, version: 1, createdAt: now, lastModified: now, data: record.data };
  const results = await batch(d1, [insert, insertEmails(d1, orgId, id, record, 1), ...insertEventsStatements(d1, orgId, now, events(user))]);
  if (results === "userNameTaken") return { ok: false, reason: results };
  return { ok: true, user };
}

/**
 * The statements that replace the user's state if it is still at `expected.version`: every one is
 * guarded by that version, so a batch that lost a race changes nothing. The emails are rewritten
 * before the version moves, so that their guard sees the version the caller read, and so are the
 * write's events (the outbox rows: they exist exactly when the write landed). The last one is the
 * UPDATE of the row: its `meta.changes` tells whether the write landed (see `landed`).
 */
export function updateUserStatements(
  d1: D1Database,
  orgId: string,
  expected: Pick<StoredUser, "id" | "version">,
  record: UserRecord,
  now: number,
  events: OutboxEvent[],
): D1PreparedStatement[] {
  const { id, version } = expected;
  return [
    d1.prepare(`DELETE FROM user_emails WHERE user_id = ? AND ${AT_VERSION}`).bind(id, id, orgId, version),
    insertEmails(d1, orgId, id, record, version),
    ...insertEventsStatements(d1, orgId, now, events, { sql: AT_VERSION, params: [id, orgId, version] }),
    d1
      .prepare(
        `UPDATE users SET ${COLUMNS.map((c) => `${c} = ?`).join(", ")}, ${KEEP_KEY_UNLESS_RENAMED}, version = ?, last_modified = ?
         WHERE id = ? AND org_id = ? AND version = ?`,
      )
      .bind(...columnValues(record), record.userName, record.userNameKey, record.userName, version + 1, now, id, orgId, version),
  ];
}

/** Whether the results of `updateUserStatements` (the first `count` results, in that order) say the write landed. */
export function landed(results: D1Result[], count: number): boolean {
  return results[count - 1]?.meta.changes === 1;
}

/**
 * The groups of one user as one prepared statement, to ride in a write's batch (after the write, so
 * that it answers with the state the write left): PUT/PATCH answer with the user's `groups` in the
 * write's own round trip. Turn its rows into groups with `userGroupsOf`.
 */
export function userGroupsStatement(d1: D1Database, orgId: string, userId: string): D1PreparedStatement {
  // The query takes a subquery of ids (it joins a list page as one); here, the one user's.
  return d1.prepare(groupsOfUsersQuery(orgId).sql("SELECT ? AS id")).bind(userId, ...groupsOfUsersQuery(orgId).params);
}

export function userGroupsOf(userId: string, result: D1Result | undefined): UserGroup[] {
  return groupUserGroups([userId], (result?.results ?? []) as UserGroupRow[]).get(userId) ?? [];
}

/**
 * Replaces the user's state if it is still at `expected.version`; `stale` when another write got there
 * first, in which case the batch changed nothing. With `withGroups`, the user's groups are read in the
 * same batch (one round trip for the write and the response's `groups`).
 */
export async function updateUser(
  db: Db,
  orgId: string,
  expected: StoredUser,
  record: UserRecord,
  now: number,
  withGroups: boolean,
  events: (user: StoredUser) => OutboxEvent[],
): Promise<UserWriteOutcome & { groups?: UserGroup[] }> {
  const d1 = db.$client;
  const { id, version } = expected;
  const user: StoredUser = { id, version: version + 1, createdAt: expected.createdAt, lastModified: now, data: record.data };
  const statements = updateUserStatements(d1, orgId, expected, record, now, events(user));
  const count = statements.length;
  if (withGroups) statements.push(userGroupsStatement(d1, orgId, id));
  const results = await batch(d1, statements);
  if (results === "userNameTaken") return { ok: false, reason: results };
  if (!landed(results, count)) return { ok: false, reason: "stale" };
  return withGroups ? { ok: true, user, groups: userGroupsOf(id, results[count]) } : { ok: true, user };
}

/** Several users of the org by id, in one statement whatever their number (the ids travel as one JSON parameter). */
/** One page of users and the filter's true total: two statements in one batch (see listPage). */
/**
 * One page of users and the filter's total; with `withGroups`, also the page's users' groups, in the
 * same batch (one round trip). `otherSide` is the cursor probe's answer (see listPage).
 */
export async function listUsers(
  db: Db,
  orgId: string,
  query: ListQuery,
  withGroups = false,
): Promise<{ total: number; users: StoredUser[]; groups: Map<string, UserGroup[]>; otherSide: boolean }> {
  const columns = "u.id AS id, u.version AS version, u.created_at AS createdAt, u.last_modified AS lastModified, u.data AS data";
  const { total, rows, related, otherSide } = await listPage<StoredUser, UserGroupRow>(
    db,
    "users u",
    columns,
    orgId,
    query,
    withGroups ? groupsOfUsersQuery(orgId) : undefined,
  );
  return { total, users: rows, groups: withGroups ? groupUserGroups(rows.map((u) => u.id), related) : new Map(), otherSide };
}

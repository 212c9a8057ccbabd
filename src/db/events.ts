/**
 * The outbox's statements (table `events`, src/db/schema.ts). They are built here and run by the
 * writer of the change — in the SAME atomic D1 batch as the change — never on their own: that is what
 * makes a change and its events one fact.
 *
 * Numbering: every insert numbers its rows from the org's current maximum sequence, read inside the
 * batch (one index probe on events_org_sequence), so later inserts of the same batch continue where
 * earlier ones stopped; D1 runs one batch at a time per database, so sequences are gapless in commit
 * order. A row that an insert's join or guard leaves out takes no number (row_number() counts only
 * the rows inserted). The unique (org_id, sequence) index would refuse the batch if that ever broke.
 *
 * Large sets (the members of a 50,000-member PATCH) never become rows in JavaScript: membership events
 * are generated in SQL from the same JSON id parameters the membership statements use, with the
 * user's userName joined in, one statement per chunk.
 */
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { jsonChunks } from "./bulk-writes";
import { chunks } from "./group-writes";
import { events } from "./schema";

/** An event built in JavaScript, ready to be numbered and stored. */
export interface OutboxEvent {
  id: string;
  type: string;
  /** The event's `data`, as JSON. */
  data: string;
}

/**
 * Many (group, user) membership events at once, for a Bulk request: one `type` event per pair whose
 * group and user exist when the statement runs (names read from their rows), in the order given.
 */
export function pairEventsStatements(
  d1: D1Database,
  orgId: string,
  at: number,
  type: "group.user_added" | "group.user_removed",
  pairs: [string, string][],
): D1PreparedStatement[] {
  return jsonChunks(pairs).map((part) =>
    d1
      .prepare(
        `INSERT INTO events (id, org_id, sequence, type, occurred_at, data)
         SELECT ${SQL_EVENT_ID}, ?, ${LAST_SEQUENCE} + row_number() OVER (ORDER BY CAST(j.key AS INTEGER)), ?, ?,
                ${MEMBERSHIP_DATA("g.id", "g.display_name", "u.id", "u.user_name")}
         FROM json_each(?) j
         JOIN groups g ON g.id = json_extract(j.value, '$[0]') AND g.org_id = ?
         JOIN users u ON u.id = json_extract(j.value, '$[1]') AND u.org_id = ?`,
      )
      .bind(orgId, orgId, orgId, type, at, part, orgId, orgId),
  );
}

/**
 * group.user_removed for the current members of `groupIds` (groups a Bulk request replaces the members
 * of) that are not among the `kept` pairs, and for every group `leavingUserIds` (users the request
 * deletes) are in: read from the membership rows as they are, so these go BEFORE the writes.
 */
export function bulkLeavingEventsStatements(
  d1: D1Database,
  orgId: string,
  at: number,
  groupIds: string[],
  kept: [string, string][],
  leavingUserIds: string[],
): D1PreparedStatement[] {
  if (groupIds.length === 0 && leavingUserIds.length === 0) return [];
  const keptParts = jsonChunks(kept);
  const notKept = keptParts
    .map(() => "(gm.group_id, gm.user_id) NOT IN (SELECT json_extract(k.value, '$[0]'), json_extract(k.value, '$[1]') FROM json_each(?) k)")
    .join(" AND ");
  const statements: D1PreparedStatement[] = [];
  const select = (where: string) => `INSERT INTO events (id, org_id, sequence, type, occurred_at, data)
     SELECT ${SQL_EVENT_ID}, ?, ${LAST_SEQUENCE} + row_number() OVER (ORDER BY g.id, u.id), 'group.user_removed', ?,
            ${MEMBERSHIP_DATA("g.id", "g.display_name", "u.id", "u.user_name")}
     FROM group_members gm JOIN groups g ON g.id = gm.group_id AND g.org_id = ? JOIN users u ON u.id = gm.user_id
     WHERE ${where}`;
  for (const part of jsonChunks(groupIds)) {
    statements.push(
      d1
        .prepare(select(`gm.group_id IN (SELECT value FROM json_each(?))${notKept ? ` AND ${notKept}` : ""} AND gm.user_id NOT IN (SELECT value FROM json_each(?))`))
        .bind(orgId, orgId, orgId, at, orgId, part, ...keptParts, JSON.stringify(leavingUserIds)),
    );
  }
  for (const part of jsonChunks(leavingUserIds)) {
    statements.push(d1.prepare(select("gm.user_id IN (SELECT value FROM json_each(?))")).bind(orgId, orgId, orgId, at, orgId, part));
  }
  return statements;
}

/** One of an org's stored events, as the pull API and the deliveries read them. */
export interface StoredEvent {
  id: string;
  orgId: string;
  sequence: number;
  type: string;
  occurredAt: number;
  data: string;
}

/** The org's next numbers start after this (binds: orgId, orgId). */
const LAST_SEQUENCE = `coalesce((SELECT max(sequence) FROM events WHERE org_id = ?),
  (SELECT pruned_through FROM event_sequences WHERE org_id = ?), 0)`;

/** A new event id: 32 lowercase hex characters, the same form SQL generates with randomblob. */
export function newEventId(): string {
  return [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, "0")).join("");
}

const SQL_EVENT_ID = "lower(hex(randomblob(16)))";

/** A condition the inserted rows must meet, e.g. the optimistic guard of the change they describe. */
export interface Guard {
  sql: string;
  params: unknown[];
}

/** Stores `events` in the given order (one statement per JSON parameter's worth), each only if `guard` holds. */
export function insertEventsStatements(d1: D1Database, orgId: string, at: number, events: OutboxEvent[], guard?: Guard): D1PreparedStatement[] {
  return jsonChunks(events).map((part) =>
    d1
      .prepare(
        `INSERT INTO events (id, org_id, sequence, type, occurred_at, data)
         SELECT json_extract(j.value, '$.id'), ?, ${LAST_SEQUENCE} + row_number() OVER (ORDER BY CAST(j.key AS INTEGER)),
                json_extract(j.value, '$.type'), ?, json_extract(j.value, '$.data')
         FROM json_each(?) j WHERE ${guard?.sql ?? "1"}`,
      )
      .bind(orgId, orgId, orgId, at, part, ...(guard?.params ?? [])),
  );
}

/** The membership event's data, built in SQL: `{ group: {id, displayName}, user: {id, userName} }`. */
const MEMBERSHIP_DATA = (groupId: string, groupName: string, userId: string, userName: string) =>
  `json_object('group', json_object('id', ${groupId}, 'displayName', ${groupName}), 'user', json_object('id', ${userId}, 'userName', ${userName}))`;

export interface GroupRef {
  id: string;
  displayName: string;
}

/**
 * One `type` event per user of `userIds` that is a user of the org (the userName read in SQL), in
 * the order given: group.user_added / group.user_removed for explicit sets of ids.
 */
export function membershipEventsStatements(
  d1: D1Database,
  orgId: string,
  at: number,
  type: "group.user_added" | "group.user_removed",
  group: GroupRef,
  userIds: string[],
): D1PreparedStatement[] {
  return chunks(userIds).map((part) =>
    d1
      .prepare(
        `INSERT INTO events (id, org_id, sequence, type, occurred_at, data)
         SELECT ${SQL_EVENT_ID}, ?, ${LAST_SEQUENCE} + row_number() OVER (ORDER BY CAST(j.key AS INTEGER)), ?, ?,
                ${MEMBERSHIP_DATA("?", "?", "u.id", "u.user_name")}
         FROM json_each(?) j JOIN users u ON u.id = j.value AND u.org_id = ?`,
      )
      .bind(orgId, orgId, orgId, type, at, group.id, group.displayName, JSON.stringify(part), orgId),
  );
}

/**
 * group.user_removed for every current member of a group whose members are replaced (a PUT, or a
 * PATCH that replaces or removes all members) and is not among `keptIds` — read from the membership
 * rows as they are, so this statement goes BEFORE the ones that change them. The kept set may span
 * several JSON parameters. Who joins is known to the caller (it asked about every id it names), and
 * goes through membershipEventsStatements.
 */
export function membersNotKeptEventsStatement(
  d1: D1Database,
  orgId: string,
  at: number,
  group: GroupRef,
  keptIds: string[],
): D1PreparedStatement {
  const kept = chunks(keptIds);
  const notKept = kept.map(() => "gm.user_id NOT IN (SELECT value FROM json_each(?))").join(" AND ") || "1";
  return d1
    .prepare(
      `INSERT INTO events (id, org_id, sequence, type, occurred_at, data)
       SELECT ${SQL_EVENT_ID}, ?, ${LAST_SEQUENCE} + row_number() OVER (ORDER BY u.id), 'group.user_removed', ?,
              ${MEMBERSHIP_DATA("?", "?", "u.id", "u.user_name")}
       FROM group_members gm JOIN users u ON u.id = gm.user_id
       WHERE gm.group_id = ? AND ${notKept}`,
    )
    .bind(orgId, orgId, orgId, at, group.id, group.displayName, group.id, ...kept.map((p) => JSON.stringify(p)));
}

/**
 * group.user_removed for every group a user is in, before the user's deletion cascades its
 * memberships away (so it goes BEFORE the delete in the batch).
 */
export function userLeavesAllGroupsEventsStatement(
  d1: D1Database,
  orgId: string,
  at: number,
  user: { id: string; userName: string },
): D1PreparedStatement {
  return d1
    .prepare(
      `INSERT INTO events (id, org_id, sequence, type, occurred_at, data)
       SELECT ${SQL_EVENT_ID}, ?, ${LAST_SEQUENCE} + row_number() OVER (ORDER BY g.id), 'group.user_removed', ?,
              ${MEMBERSHIP_DATA("g.id", "g.display_name", "?", "?")}
       FROM group_members gm JOIN groups g ON g.id = gm.group_id
       WHERE gm.user_id = ? AND g.org_id = ?`,
    )
    .bind(orgId, orgId, orgId, at, user.id, user.userName, user.id, orgId);
}

/**
 * One event as a Drizzle statement, stored only if `guard` holds when it runs: for batches built with
 * Drizzle (setup completion and reset), whose own statements decide on the same guard.
 */
export function guardedEventStatement(db: Db, orgId: string, at: number, event: OutboxEvent, guard: SQL) {
  const last = sql`coalesce((SELECT max(sequence) FROM events WHERE org_id = ${orgId}),
    (SELECT pruned_through FROM event_sequences WHERE org_id = ${orgId}), 0)`;
  return db.insert(events).select(sql`SELECT ${event.id}, ${orgId}, ${last} + 1, ${event.type}, ${at}, ${event.data} WHERE ${guard}`);
}

/** A page of an org's events and where the stream stands, read together (one batch, one snapshot). */
export interface EventPage {
  events: StoredEvent[];
  /** The highest sequence retention has deleted: a position below it has missed events. */
  prunedThrough: number;
  /** The latest sequence committed when the page was read. */
  last: number;
}

/**
 * The org's events after sequence `after` (from the oldest kept when undefined), in sequence order,
 * at most `limit`, optionally of some types only — with the stream's bounds, in one round trip.
 */
export async function readEventPage(d1: D1Database, orgId: string, after: number | undefined, limit: number, types?: string[]): Promise<EventPage> {
  const typed = types !== undefined && types.length > 0;
  const [bounds, page] = await d1.batch([
    d1
      .prepare(`SELECT coalesce((SELECT pruned_through FROM event_sequences WHERE org_id = ?), 0) AS prunedThrough, ${LAST_SEQUENCE} AS last`)
      .bind(orgId, orgId, orgId),
    d1
      .prepare(
        `SELECT id, org_id AS orgId, sequence, type, occurred_at AS occurredAt, data FROM events
         WHERE org_id = ? AND sequence > ? ${typed ? "AND type IN (SELECT value FROM json_each(?))" : ""}
         ORDER BY sequence LIMIT ?`,
      )
      .bind(...(typed ? [orgId, after ?? 0, JSON.stringify(types), limit] : [orgId, after ?? 0, limit])),
  ]);
  const { prunedThrough, last } = (bounds.results[0] ?? { prunedThrough: 0, last: 0 }) as { prunedThrough: number; last: number };
  return { events: page.results as StoredEvent[], prunedThrough, last };
}

/** One event of an org by id (the console's event detail, a redelivery). */
export function eventById(d1: D1Database, orgId: string, id: string): Promise<StoredEvent | null> {
  return d1
    .prepare(`SELECT id, org_id AS orgId, sequence, type, occurred_at AS occurredAt, data FROM events WHERE org_id = ? AND id = ?`)
    .bind(orgId, id)
    .first<StoredEvent>();
}

/**
 * Retention: deletes up to `limit` events older than `before`, first recording per org the highest
 * sequence it prunes (so numbering never restarts and stale cursors are told apart). Returns how many
 * were deleted; the scheduled handler calls it until it returns less than `limit`.
 */
export async function pruneEvents(d1: D1Database, before: number, limit = 5000): Promise<number> {
  const [, deleted] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO event_sequences (org_id, pruned_through)
         SELECT org_id, max(sequence) FROM (SELECT org_id, sequence FROM events WHERE occurred_at < ? ORDER BY occurred_at LIMIT ?)
         GROUP BY org_id
         ON CONFLICT (org_id) DO UPDATE SET pruned_through = max(pruned_through, excluded.pruned_through)`,
      )
      .bind(before, limit),
    d1
      .prepare(`DELETE FROM events WHERE id IN (SELECT id FROM events WHERE occurred_at < ? ORDER BY occurred_at LIMIT ?)`)
      .bind(before, limit),
  ]);
  return deleted.meta.changes;
}

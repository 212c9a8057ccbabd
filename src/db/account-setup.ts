/**
 * Queries for a person's account setup: their setup links, their encrypted key bundle and their
 * browser sessions. Secrets (link tokens, session ids) are only ever stored and looked up as hashes.
 *
 * D1 has no interactive transactions, so every multi-row write here is one db.batch whose statements
 * are conditional: each one re-checks in SQL what the request checked before, and a batch whose
 * deciding statement changed nothing leaves everything as it was.
 */
import { and, eq, gt, isNull, lte, ne, sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { guardedEventStatement, type OutboxEvent } from "./events";
import { orgs, setupLinks, userKeys, users, userSessions } from "./schema";

export type SetupLinkRow = typeof setupLinks.$inferSelect;
export type KeyBundleRow = typeof userKeys.$inferSelect;

/** The user exists in the org, is active and has not finished setup: only then may a link be issued or used. */
function canSetUp(orgId: string, userId: string): SQL {
  return sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${userId} AND ${users.orgId} = ${orgId}
    AND ${users.active} = 1 AND ${users.setupState} = 'pending')`;
}

/** Marks every unused link of the user except `keepId` superseded, when `guard` holds. */
function retireOtherLinksStatement(db: Db, userId: string, keepId: string, at: number, guard: SQL) {
  return db
    .update(setupLinks)
    .set({ supersededAt: at })
    .where(
      and(
        eq(setupLinks.userId, userId),
        ne(setupLinks.id, keepId),
        isNull(setupLinks.usedAt),
        isNull(setupLinks.supersededAt),
        guard,
      ),
    );
}

export interface NewSetupLink {
  id: string;
  orgId: string;
  userId: string;
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
}

/**
 * Issues a link and retires every earlier unused one of the user, atomically. The insert happens only
 * while the user can still set up (it returns no row otherwise); the retirement names the new link, so
 * of two concurrent issues the later batch retires the earlier link and exactly one link stays usable.
 */
export function issueLinkStatements(db: Db, link: NewSetupLink, options: { unlessLive?: boolean } = {}) {
  // With `unlessLive`, nothing is issued while an earlier link still works (the console asks first).
  const unlessLive = options.unlessLive ? sql` AND NOT ${liveLinkExists(link.userId, link.createdAt)}` : sql``;
  return [
    db
      .insert(setupLinks)
      .select(
        sql`SELECT ${link.id}, ${link.orgId}, ${link.userId}, ${link.tokenHash}, ${link.createdAt}, ${link.expiresAt},
          NULL, NULL, NULL WHERE ${canSetUp(link.orgId, link.userId)}${unlessLive}`,
      )
      .returning({ id: setupLinks.id }),
    retireOtherLinksStatement(
      db,
      link.userId,
      link.id,
      link.createdAt,
      sql`EXISTS (SELECT 1 FROM ${setupLinks} AS fresh WHERE fresh.id = ${link.id})`,
    ),
  ] as const;
}

/** A user just provisioned, as the first setup link needs it. */
export interface ProvisionedUser {
  id: string;
  userName: string;
  active: boolean;
  setupState: "pending" | "complete";
  data: string;
}

/** The users among `userIds` (at most a few thousand) of the org, in one statement. */
export async function findUsersForSetup(db: Db, orgId: string, userIds: string[]): Promise<ProvisionedUser[]> {
  if (!userIds.length) return [];
  const { results } = await db.$client
    .prepare(
      `SELECT id, user_name AS userName, active, setup_state AS setupState, data FROM users
       WHERE org_id = ? AND id IN (SELECT value FROM json_each(?))`,
    )
    .bind(orgId, JSON.stringify(userIds))
    .all<Omit<ProvisionedUser, "active"> & { active: number }>();
  return results.map((r) => ({ ...r, active: r.active === 1 }));
}

/**
 * Issues many links at once (one per user, for users just provisioned together), with the same rules
 * as issueLinkStatements: a link is inserted only while its user can set up, and every other unused
 * link of a user that got one is retired. Two statements whatever the number of links; the first
 * returns the users that got theirs.
 */
export function issueLinksStatements(db: Db, orgId: string, links: NewSetupLink[], at: number) {
  const d1 = db.$client;
  const rows = JSON.stringify(links.map((l) => ({ id: l.id, userId: l.userId, tokenHash: l.tokenHash, createdAt: l.createdAt, expiresAt: l.expiresAt })));
  const ids = JSON.stringify(links.map((l) => l.id));
  return [
    d1
      .prepare(
        `INSERT INTO setup_links (id, org_id, user_id, token_hash, created_at, expires_at)
         SELECT json_extract(j.value, '$.id'), ?1, json_extract(j.value, '$.userId'), json_extract(j.value, '$.tokenHash'),
                json_extract(j.value, '$.createdAt'), json_extract(j.value, '$.expiresAt')
         FROM json_each(?2) AS j
         WHERE EXISTS (SELECT 1 FROM users AS u WHERE u.id = json_extract(j.value, '$.userId') AND u.org_id = ?1
                         AND u.active = 1 AND u.setup_state = 'pending')
         RETURNING user_id AS userId`,
      )
      .bind(orgId, rows),
    d1
      .prepare(
        `UPDATE setup_links SET superseded_at = ?1
         WHERE used_at IS NULL AND superseded_at IS NULL AND id NOT IN (SELECT value FROM json_each(?2))
           AND user_id IN (SELECT fresh.user_id FROM setup_links AS fresh WHERE fresh.id IN (SELECT value FROM json_each(?2)))`,
      )
      .bind(at, ids),
  ] as const;
}

/** The user has a link that still works at `now`: unused, not replaced, not expired (index setup_links_user). */
function liveLinkExists(userId: string, now: number): SQL {
  return sql`EXISTS (SELECT 1 FROM ${setupLinks} AS live WHERE live.user_id = ${userId} AND live.used_at IS NULL
    AND live.superseded_at IS NULL AND live.expires_at > ${now})`;
}

/** When the user's working link expires, or null when they have none. */
export async function liveLinkExpiry(db: Db, userId: string, now: number): Promise<number | null> {
  const row = await db
    .select({ expiresAt: setupLinks.expiresAt })
    .from(setupLinks)
    .where(and(eq(setupLinks.userId, userId), isNull(setupLinks.usedAt), isNull(setupLinks.supersededAt), gt(setupLinks.expiresAt, now)))
    .get();
  return row?.expiresAt ?? null;
}

/** A link with the state of its user, for deciding why a completion is refused. */
export async function findLinkByHash(db: Db, tokenHash: string) {
  return db
    .select({
      id: setupLinks.id,
      orgId: setupLinks.orgId,
      userId: setupLinks.userId,
      expiresAt: setupLinks.expiresAt,
      usedAt: setupLinks.usedAt,
      supersededAt: setupLinks.supersededAt,
      userName: users.userName,
      active: users.active,
      setupState: users.setupState,
    })
    .from(setupLinks)
    .innerJoin(users, eq(users.id, setupLinks.userId))
    .where(eq(setupLinks.tokenHash, tokenHash))
    .get();
}

export type SetupLinkWithUser = NonNullable<Awaited<ReturnType<typeof findLinkByHash>>>;

export interface KeyBundle {
  publicKey: string;
  encryptedPrivateKey: string;
  iv: string;
  salt: string;
  /** The KDF parameters as JSON. */
  kdf: string;
}

export interface Completion {
  link: Pick<SetupLinkWithUser, "id" | "orgId" | "userId">;
  /** Unique to this request: the statements after the first act only if the link carries it. */
  marker: string;
  now: number;
  bundle: KeyBundle;
  session: { idHash: string; expiresAt: number };
}

/**
 * Consumes the link and finishes setup, as one batch. The first statement is the race's referee: it
 * marks the link used only if it is still unused, not superseded, not expired, and its user can still
 * set up, and stamps it with this request's marker. Every later statement is guarded on that stamp,
 * so when two completions race, the loser's batch changes nothing at all (its first statement
 * returns no row).
 */
/** `event`: the user.setup_completed event, stored only by the completion that consumed the link. */
export function completionStatements(db: Db, c: Completion, event: OutboxEvent) {
  const { link, marker, now, bundle, session } = c;
  const wonHere = sql`EXISTS (SELECT 1 FROM ${setupLinks} AS consumed WHERE consumed.id = ${link.id}
    AND consumed.consumed_by = ${marker})`;
  return [
    db
      .update(setupLinks)
      .set({ usedAt: now, consumedBy: marker })
      .where(
        and(
          eq(setupLinks.id, link.id),
          isNull(setupLinks.usedAt),
          isNull(setupLinks.supersededAt),
          gt(setupLinks.expiresAt, now),
          canSetUp(link.orgId, link.userId),
        ),
      )
      .returning({ id: setupLinks.id }),
    db
      .insert(userKeys)
      .select(
        sql`SELECT ${link.userId}, ${link.orgId}, ${bundle.publicKey}, ${bundle.encryptedPrivateKey}, ${bundle.iv},
          ${bundle.salt}, ${bundle.kdf}, ${now} WHERE ${wonHere}`,
      ),
    db
      .update(users)
      .set({ setupState: "complete" })
      .where(and(eq(users.id, link.userId), eq(users.orgId, link.orgId), wonHere)),
    // Any other unused link of the user is dead from now on; say so in the row too.
    retireOtherLinksStatement(db, link.userId, link.id, now, wonHere),
    db
      .insert(userSessions)
      .select(sql`SELECT ${session.idHash}, ${link.orgId}, ${link.userId}, ${now}, ${session.expiresAt} WHERE ${wonHere}`),
    guardedEventStatement(db, link.orgId, now, event, wonHere),
  ] as const;
}

/** A session with its user's state and key bundle, for authenticating a person's request. */
export async function findSession(db: Db, idHash: string) {
  return db
    .select({
      expiresAt: userSessions.expiresAt,
      userId: users.id,
      orgId: users.orgId,
      userName: users.userName,
      active: users.active,
      keys: {
        publicKey: userKeys.publicKey,
        encryptedPrivateKey: userKeys.encryptedPrivateKey,
        iv: userKeys.iv,
        salt: userKeys.salt,
        kdf: userKeys.kdf,
        createdAt: userKeys.createdAt,
      },
    })
    .from(userSessions)
    .innerJoin(users, eq(users.id, userSessions.userId))
    .leftJoin(userKeys, eq(userKeys.userId, userSessions.userId))
    .where(eq(userSessions.idHash, idHash))
    .get();
}

export async function deleteSession(db: Db, idHash: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.idHash, idHash));
}

/** For the scheduled clean-up: sessions past their 12 hours (they are already refused when presented). */
export async function deleteExpiredUserSessions(db: Db, now: number): Promise<number> {
  const deleted = await db.delete(userSessions).where(lte(userSessions.expiresAt, now)).returning({ idHash: userSessions.idHash });
  return deleted.length;
}

/** Ends every session of the user (they were deactivated). */
export async function deleteSessionsOfUser(db: Db, userId: string): Promise<void> {
  await db.delete(userSessions).where(eq(userSessions.userId, userId));
}

/**
 * Starts a session for a user who signed in through their organization's single sign-on; nothing is
 * inserted (and false returned) unless the user is, at this instant, an active member of the org.
 */
export async function insertSessionForActiveUser(
  db: Db,
  s: { idHash: string; orgId: string; userId: string; now: number; expiresAt: number },
): Promise<boolean> {
  const inserted = await db
    .insert(userSessions)
    .select(
      sql`SELECT ${s.idHash}, ${s.orgId}, ${s.userId}, ${s.now}, ${s.expiresAt} WHERE EXISTS (SELECT 1 FROM ${users}
        WHERE ${users.id} = ${s.userId} AND ${users.orgId} = ${s.orgId} AND ${users.active} = 1)`,
    )
    .returning({ idHash: userSessions.idHash });
  return inserted.length > 0;
}

/**
 * Setup inside a signed-in session (no link): stores the bundle and completes setup only while the
 * user is active and pending, as one batch whose first statement decides; a second submit stores
 * nothing (the key row exists and the user is no longer pending). Unused setup links are retired.
 */
export function sessionCompletionStatements(db: Db, c: { orgId: string; userId: string; now: number; bundle: KeyBundle }, event: OutboxEvent) {
  const { orgId, userId, now, bundle } = c;
  const wonHere = sql`EXISTS (SELECT 1 FROM ${userKeys} AS k WHERE k.user_id = ${userId} AND k.created_at = ${now}
    AND k.public_key = ${bundle.publicKey})`;
  return [
    db
      .insert(userKeys)
      .select(
        sql`SELECT ${userId}, ${orgId}, ${bundle.publicKey}, ${bundle.encryptedPrivateKey}, ${bundle.iv}, ${bundle.salt},
          ${bundle.kdf}, ${now} WHERE ${canSetUp(orgId, userId)}
          AND NOT EXISTS (SELECT 1 FROM ${userKeys} AS k WHERE k.user_id = ${userId})`,
      )
      .returning({ userId: userKeys.userId }),
    db
      .update(users)
      .set({ setupState: "complete" })
      .where(and(eq(users.id, userId), eq(users.orgId, orgId), wonHere)),
    db
      .update(setupLinks)
      .set({ supersededAt: now })
      .where(and(eq(setupLinks.userId, userId), isNull(setupLinks.usedAt), isNull(setupLinks.supersededAt), wonHere)),
    guardedEventStatement(db, orgId, now, event, wonHere),
  ] as const;
}

/**
 * What the setup page may learn about a link before using it: its state, its user's state and the
 * org's name. One indexed read (the token hash is unique); nothing is written.
 */
export async function findLinkForCheck(db: Db, tokenHash: string) {
  return db
    .select({
      expiresAt: setupLinks.expiresAt,
      usedAt: setupLinks.usedAt,
      supersededAt: setupLinks.supersededAt,
      active: users.active,
      setupState: users.setupState,
      orgName: orgs.name,
    })
    .from(setupLinks)
    .innerJoin(users, eq(users.id, setupLinks.userId))
    .innerJoin(orgs, eq(orgs.id, setupLinks.orgId))
    .where(eq(setupLinks.tokenHash, tokenHash))
    .get();
}

/**
 * Resets a completed setup, as one atomic batch in which every statement is guarded on the same fact,
 * read before the update: the user is in the org and complete. The key bundle and every session go,
 * then the user is pending again; the last statement's returned row says whether it happened. For a
 * user who is not complete (or not in the org) the batch changes nothing at all. Unused links were
 * already retired by the completion. The user.setup_reset event goes first, on the same guard.
 */
export function resetSetupStatements(db: Db, orgId: string, userId: string, now: number, event: OutboxEvent) {
  const isComplete = sql`EXISTS (SELECT 1 FROM ${users} WHERE ${users.id} = ${userId} AND ${users.orgId} = ${orgId}
    AND ${users.setupState} = 'complete')`;
  return [
    guardedEventStatement(db, orgId, now, event, isComplete),
    db.delete(userKeys).where(and(eq(userKeys.userId, userId), isComplete)),
    db.delete(userSessions).where(and(eq(userSessions.userId, userId), isComplete)),
    db
      .update(users)
      .set({ setupState: "pending" })
      .where(and(eq(users.id, userId), eq(users.orgId, orgId), eq(users.setupState, "complete")))
      .returning({ id: users.id }),
  ] as const;
}

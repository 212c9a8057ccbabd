/** Queries for SCIM tokens. Tokens are looked up by the SHA-256 of their plaintext only. */
import { and, asc, count, desc, eq, isNull, lte, or, sql } from "drizzle-orm";
import type { Db } from "./client";
import { orgs, scimTokens } from "./schema";

export type TokenRow = typeof scimTokens.$inferSelect;

export async function insertToken(db: Db, row: TokenRow): Promise<void> {
  await db.insert(scimTokens).values(row);
}

export function listTokens(db: Db, orgId: string): Promise<TokenRow[]> {
  return db
    .select()
    .from(scimTokens)
    .where(eq(scimTokens.orgId, orgId))
    .orderBy(desc(scimTokens.createdAt), desc(scimTokens.id));
}

/**
 * The descriptions of the org's tokens, by id, for the provisioning log (which stores token ids only:
 * a description never changes after the token is minted, so reading it with the log is the same as
 * having copied it into every entry). One query on the (org_id, created_at) index.
 */
export async function tokenDescriptions(db: Db, orgId: string): Promise<Map<string, string>> {
  const rows = await db.select({ id: scimTokens.id, description: scimTokens.description }).from(scimTokens).where(eq(scimTokens.orgId, orgId));
  return new Map(rows.map((r) => [r.id, r.description]));
}

export async function findToken(db: Db, orgId: string, tokenId: string): Promise<TokenRow | undefined> {
  return db
    .select()
    .from(scimTokens)
    .where(and(eq(scimTokens.orgId, orgId), eq(scimTokens.id, tokenId)))
    .get();
}

/** The token with this hash and the state of its org, for authenticating a SCIM request. */
export async function findTokenByHash(db: Db, tokenHash: string) {
  return db
    .select({
      id: scimTokens.id,
      orgId: scimTokens.orgId,
      expiresAt: scimTokens.expiresAt,
      revokedAt: scimTokens.revokedAt,
      scimEnabled: orgs.scimEnabled,
      rateLimitLevel: orgs.rateLimitLevel,
    })
    .from(scimTokens)
    .innerJoin(orgs, eq(orgs.id, scimTokens.orgId))
    .where(eq(scimTokens.tokenHash, tokenHash))
    .get();
}

/** Marks the token revoked (keeping the row); returns its hash, or undefined if it does not exist. */
export async function revokeToken(db: Db, orgId: string, tokenId: string, at: number): Promise<string | undefined> {
  const token = await findToken(db, orgId, tokenId);
  if (!token) return undefined;
  if (token.revokedAt == null) {
    await db
      .update(scimTokens)
      .set({ revokedAt: at })
      .where(and(eq(scimTokens.id, tokenId), isNull(scimTokens.revokedAt)));
  }
  return token.tokenHash;
}

export async function tokenHashesOfOrg(db: Db, orgId: string): Promise<string[]> {
  const rows = await db.select({ hash: scimTokens.tokenHash }).from(scimTokens).where(eq(scimTokens.orgId, orgId));
  return rows.map((r) => r.hash);
}

/**
 * Records use of a token, at most once per `minIntervalMs`: the condition makes concurrent requests
 * (in any isolate, anywhere) write at most one update per interval.
 */
export async function touchToken(db: Db, tokenId: string, at: number, minIntervalMs: number): Promise<boolean> {
  const updated = await db
    .update(scimTokens)
    .set({ lastUsedAt: at })
    .where(
      and(
        eq(scimTokens.id, tokenId),
        or(isNull(scimTokens.lastUsedAt), lte(scimTokens.lastUsedAt, at - minIntervalMs)),
      ),
    )
    .returning({ id: scimTokens.id });
  return updated.length > 0;
}

/** Live tokens (not revoked, not replaced, not expired) whose expiry falls within the window. */
function expiringWithin(now: number, windowMs: number) {
  return sql`${scimTokens.revokedAt} IS NULL AND ${scimTokens.replacedBy} IS NULL AND ${scimTokens.expiresAt} > ${now} AND ${scimTokens.expiresAt} <= ${now + windowMs}`;
}

/** How many such tokens each org has (orgs without any are absent). Tokens are few: one small scan. */
export async function expiringTokenCounts(db: Db, now: number, windowMs: number, orgId?: string): Promise<Map<string, number>> {
  const rows = await db
    .select({ orgId: scimTokens.orgId, n: count() })
    .from(scimTokens)
    .where(orgId === undefined ? expiringWithin(now, windowMs) : and(eq(scimTokens.orgId, orgId), expiringWithin(now, windowMs)))
    .groupBy(scimTokens.orgId);
  return new Map(rows.map((r) => [r.orgId, r.n]));
}

/** The tokens themselves, soonest first, with their org's name. */
export function expiringTokens(db: Db, now: number, windowMs: number, limit: number) {
  return db
    .select({
      orgId: scimTokens.orgId,
      orgName: orgs.name,
      tokenId: scimTokens.id,
      description: scimTokens.description,
      prefix: scimTokens.prefix,
      expiresAt: scimTokens.expiresAt,
    })
    .from(scimTokens)
    .innerJoin(orgs, eq(orgs.id, scimTokens.orgId))
    .where(expiringWithin(now, windowMs))
    .orderBy(asc(scimTokens.expiresAt), asc(scimTokens.id))
    .limit(limit);
}

/**
 * One atomic batch: inserts the successor and marks `old` rotated (`expiresAt`, and `revokedAt` for
 * no grace at all), both guarded on `old` still being live and not yet rotated. False when another
 * request rotated, revoked or let it expire first: then nothing was written.
 */
export async function insertRotation(
  db: Db,
  old: TokenRow,
  successor: TokenRow,
  change: { expiresAt: number | null; revokedAt: number | null },
  now: number,
): Promise<boolean> {
  const d1 = db.$client;
  const live = `id = ? AND org_id = ? AND revoked_at IS NULL AND replaced_by IS NULL AND (expires_at IS NULL OR expires_at > ?)`;
  const [inserted] = await d1.batch([
    d1
      .prepare(
        `INSERT INTO scim_tokens (id, org_id, token_hash, prefix, description, created_at, expires_at)
         SELECT ?, ?, ?, ?, ?, ?, ? WHERE EXISTS (SELECT 1 FROM scim_tokens WHERE ${live})`,
      )
      .bind(
        successor.id,
        successor.orgId,
        successor.tokenHash,
        successor.prefix,
        successor.description,
        successor.createdAt,
        successor.expiresAt,
        old.id,
        old.orgId,
        now,
      ),
    d1
      .prepare(`UPDATE scim_tokens SET rotated_at = ?, replaced_by = ?, expires_at = ?, revoked_at = ? WHERE ${live}`)
      .bind(now, successor.id, change.expiresAt, change.revokedAt, old.id, old.orgId, now),
  ]);
  return inserted.meta.changes === 1;
}

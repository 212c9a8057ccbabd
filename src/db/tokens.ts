/** Queries for SCIM tokens. Tokens are looked up by the SHA-256 of their plaintext only. */
import { and, desc, eq, isNull, lte, or } from "drizzle-orm";
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

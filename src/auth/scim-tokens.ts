/**
 * SCIM bearer tokens: minting, hashing, and resolving a presented token to its organization.
 *
 * Lookup is KV first, D1 on a miss. KV is only a cache: a miss always falls through to D1, invalid
 * tokens are never cached, and an entry lives at most CACHE_TTL_MAX_SECONDS. Because KV is eventually
 * consistent, a revocation or SCIM-off can take up to CACHE_TTL_MAX_SECONDS + ~60 s of propagation to
 * reach every location (see docs/security.md, "SCIM tokens and revocation"); `expiresAt` is checked on every request, so
 * expiry itself is exact everywhere.
 */
import type { Clock } from "../lib/clock";
import { newId, randomSecret, sha256Hex } from "../lib/crypto";
import type { Db } from "../db/client";
import { findToken, findTokenByHash, insertRotation, insertToken, revokeToken, tokenHashesOfOrg, touchToken, type TokenRow } from "../db/tokens";

export const TOKEN_PREFIX = "scim_";
/** 32 random bytes = 256 bits, base64url: 43 characters after the prefix. */
const TOKEN_PATTERN = /^scim_[A-Za-z0-9_-]{43}$/;
export const TOKEN_DISPLAY_PREFIX_LENGTH = 12;

export const CACHE_TTL_MAX_SECONDS = 300;
/** KV refuses shorter TTLs; a token expiring sooner than this is simply not cached. */
export const CACHE_TTL_MIN_SECONDS = 60;
export const LAST_USED_INTERVAL_MS = 60_000;
export const MAX_TTL_DAYS = 730;
export const DEFAULT_TTL_DAYS = 365;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** A rotated token may keep working for up to a week while the identity provider is switched over. */
export const MAX_GRACE_HOURS = 168;
/** Live tokens expiring within this window are flagged (token list, organizations, counters). */
export const EXPIRING_SOON_MS = 14 * DAY_MS;

/** Whether the operator should act: a live, unreplaced token whose expiry is within EXPIRING_SOON_MS. */
export function isExpiringSoon(row: Pick<TokenRow, "expiresAt" | "revokedAt" | "replacedBy">, now: number): boolean {
  if (row.revokedAt != null || row.replacedBy != null || row.expiresAt == null) return false;
  return row.expiresAt > now && row.expiresAt <= now + EXPIRING_SOON_MS;
}

/** What the cache holds for a valid token of an org with SCIM enabled. */
export interface CachedToken {
  orgId: string;
  tokenId: string;
  expiresAt: number | null;
  /** The org's rate-limit level, so that limiting a request costs no D1 read (absent in older entries). */
  rateLimitLevel?: string;
}

export type TokenResolution =
  | { kind: "ok"; orgId: string; tokenId: string; rateLimitLevel: string }
  | { kind: "revoked" | "expired" | "disabled"; orgId: string; tokenId: string }
  | { kind: "unknown" };

/** The I/O a lookup needs, passed in so that tests can observe and pause it. */
export interface TokenLookupDeps {
  db: Db;
  kv: KVNamespace;
  now: Clock;
  waitUntil: (promise: Promise<unknown>) => void;
}

export function cacheKey(tokenHash: string): string {
  return `scim-token:${tokenHash}`;
}

export function hashToken(token: string): Promise<string> {
  return sha256Hex(token);
}

export interface MintedToken {
  row: TokenRow;
  /** The plaintext; returned to the admin once and never stored. */
  token: string;
}

async function mint(orgId: string, description: string, now: number, expiresAt: number | null): Promise<MintedToken> {
  const token = TOKEN_PREFIX + randomSecret(32);
  const row: TokenRow = {
    id: newId(),
    orgId,
    tokenHash: await hashToken(token),
    prefix: token.slice(0, TOKEN_DISPLAY_PREFIX_LENGTH),
    description,
    createdAt: now,
    expiresAt,
    lastUsedAt: null,
    revokedAt: null,
    rotatedAt: null,
    replacedBy: null,
  };
  return { row, token };
}

export async function createScimToken(
  db: Db,
  orgId: string,
  input: { description: string; ttlDays: number },
  now: number,
): Promise<MintedToken> {
  const minted = await mint(orgId, input.description, now, input.ttlDays === 0 ? null : now + input.ttlDays * DAY_MS);
  await insertToken(db, minted.row);
  return minted;
}

export type RotationResult =
  | { ok: true; minted: MintedToken; previousExpiresAt: number | null; previousRevokedAt: number | null }
  | { ok: false; refusal: "not_found" | "revoked" | "expired" | "rotated" };

function rotationRefusal(row: TokenRow | undefined, now: number): Exclude<RotationResult, { ok: true }> | null {
  if (!row) return { ok: false, refusal: "not_found" };
  if (row.revokedAt != null) return { ok: false, refusal: "revoked" };
  if (row.replacedBy != null) return { ok: false, refusal: "rotated" };
  if (isExpired(row.expiresAt, now)) return { ok: false, refusal: "expired" };
  return null;
}

/**
 * Replaces a live token by a new one with the same description and lifetime. The old token keeps
 * working for `graceHours` (never past its own expiry); with 0 it is revoked at once. Its cache
 * entry is dropped either way, so that the next lookup reads its new expiry from D1: the grace
 * period then ends exactly where the entry was dropped, and within the revocation bound elsewhere.
 */
export async function rotateScimToken(
  db: Db,
  kv: KVNamespace,
  orgId: string,
  tokenId: string,
  graceHours: number,
  now: number,
): Promise<RotationResult> {
  const old = await findToken(db, orgId, tokenId);
  const refused = rotationRefusal(old, now);
  if (refused || !old) return refused ?? { ok: false, refusal: "not_found" };
  const lifetime = old.expiresAt == null ? null : old.expiresAt - old.createdAt;
  const minted = await mint(orgId, old.description, now, lifetime == null ? null : now + lifetime);
  const graceEnd = now + graceHours * HOUR_MS;
  const change =
    graceHours === 0
      ? { expiresAt: old.expiresAt, revokedAt: now }
      : { expiresAt: old.expiresAt == null ? graceEnd : Math.min(old.expiresAt, graceEnd), revokedAt: null };
  if (!(await insertRotation(db, old, minted.row, change, now))) {
    return rotationRefusal(await findToken(db, orgId, tokenId), now) ?? { ok: false, refusal: "rotated" };
  }
  await deleteCached(kv, [old.tokenHash]);
  return { ok: true, minted, previousExpiresAt: change.expiresAt, previousRevokedAt: change.revokedAt };
}

function isExpired(expiresAt: number | null, now: number): boolean {
  return expiresAt != null && expiresAt <= now;
}

async function readCache(kv: KVNamespace, key: string): Promise<CachedToken | null> {
  try {
    return await kv.get<CachedToken>(key, "json");
  } catch {
    return null; // an unreachable or rate-limited cache is a miss, never a failure
  }
}

/** Seconds an entry for this token may live, or null when it must not be cached at all. */
export function cacheTtlSeconds(expiresAt: number | null, now: number): number | null {
  if (expiresAt == null) return CACHE_TTL_MAX_SECONDS;
  const remaining = Math.floor((expiresAt - now) / 1000);
  if (remaining < CACHE_TTL_MIN_SECONDS) return null;
  return Math.min(CACHE_TTL_MAX_SECONDS, remaining);
}

export async function resolveScimToken(deps: TokenLookupDeps, presented: string): Promise<TokenResolution> {
  if (!TOKEN_PATTERN.test(presented)) return { kind: "unknown" };
  const tokenHash = await hashToken(presented);
  const key = cacheKey(tokenHash);
  const now = deps.now();

  const cached = await readCache(deps.kv, key);
  if (cached) {
    if (isExpired(cached.expiresAt, now)) return { kind: "expired", orgId: cached.orgId, tokenId: cached.tokenId };
    return { kind: "ok", orgId: cached.orgId, tokenId: cached.tokenId, rateLimitLevel: cached.rateLimitLevel ?? "standard" };
  }

  const row = await findTokenByHash(deps.db, tokenHash);
  if (!row) return { kind: "unknown" };
  const ids = { orgId: row.orgId, tokenId: row.id };
  if (row.revokedAt != null) return { kind: "revoked", ...ids };
  if (isExpired(row.expiresAt, now)) return { kind: "expired", ...ids };
  if (!row.scimEnabled) return { kind: "disabled", ...ids };

  const ttl = cacheTtlSeconds(row.expiresAt, now);
  if (ttl != null) {
    const entry: CachedToken = { orgId: row.orgId, tokenId: row.id, expiresAt: row.expiresAt, rateLimitLevel: row.rateLimitLevel };
    deps.waitUntil(
      deps.kv.put(key, JSON.stringify(entry), { expirationTtl: ttl }).catch(() => {
        // A failed cache write costs the next request a D1 read, nothing more.
      }),
    );
  }
  return { kind: "ok", ...ids, rateLimitLevel: row.rateLimitLevel };
}

async function deleteCached(kv: KVNamespace, hashes: string[]): Promise<void> {
  await Promise.all(hashes.map((h) => kv.delete(cacheKey(h)).catch(() => {})));
}

/** Revokes a token and drops its cache entry; returns false when the org has no such token. */
export async function revokeScimToken(db: Db, kv: KVNamespace, orgId: string, tokenId: string, now: number) {
  const hash = await revokeToken(db, orgId, tokenId, now);
  if (hash === undefined) return false;
  await deleteCached(kv, [hash]);
  return true;
}

/** Drops every cached token of the org, so that SCIM-off (or a new rate-limit level) takes effect on the next request. */
export async function forgetOrgTokens(db: Db, kv: KVNamespace, orgId: string): Promise<void> {
  await deleteCached(kv, await tokenHashesOfOrg(db, orgId));
}

/**
 * Remembers, per isolate, when each token was last recorded as used, so that busy tokens do not
 * send an UPDATE per request; the conditional UPDATE keeps it at most once a minute across isolates.
 */
const lastTouched = new Map<string, number>();

export async function recordTokenUse(db: Db, tokenId: string, now: number): Promise<void> {
  const previous = lastTouched.get(tokenId);
  if (previous !== undefined && now - previous < LAST_USED_INTERVAL_MS && now >= previous) return;
  lastTouched.set(tokenId, now);
  if (lastTouched.size > 10_000) lastTouched.clear();
  await touchToken(db, tokenId, now, LAST_USED_INTERVAL_MS);
}

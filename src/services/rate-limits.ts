/**
 * Per-organization request budgets: what keeps one runaway or misconfigured identity provider from
 * slowing every other tenant of the one D1 database.
 *
 * A level names Workers rate-limiting bindings (wrangler.toml [[ratelimits]]; their limit and period
 * are fixed there and the figures below must match). Each binding counts per Cloudflare location, in
 * windows of 10 or 60 seconds, keyed by organization id. The check costs no D1 round trip: the org's
 * level travels with its token (KV cache, or the one D1 read that resolves the token).
 *
 * Figures (requests per organization):
 * - standard (default): 3,000 reads and 3,000 writes a minute — 50/s each, twice the 25 requests/s per
 *   tenant Microsoft Entra ID requires a SCIM endpoint to sustain (its SCIM endpoint guidance; see
 *   docs/idp-dialects.md), so an Entra initial sync (a lookup and a create per user) never meets it,
 *   and above Okta's, JumpCloud's and OneLogin's serial provisioning; Slack's own SCIM API allows 1,000
 *   reads and 600 writes a minute per org, i.e. providers live with less.
 * - high: 12,000 a minute each, for a tenant an operator knows to sync in parallel at scale.
 * - restricted: 10 requests per 10 seconds, reads and writes together: quarantine for a runaway tenant.
 * Bulk is not supported (501), so it has no budget of its own.
 */

export type RequestClass = "read" | "write";

export interface Budget {
  limit: number;
  periodSeconds: number;
}

export type RateLimitBindingName =
  | "RATE_LIMIT_STANDARD_READ"
  | "RATE_LIMIT_STANDARD_WRITE"
  | "RATE_LIMIT_HIGH_READ"
  | "RATE_LIMIT_HIGH_WRITE"
  | "RATE_LIMIT_RESTRICTED";

interface LevelDefinition {
  read: Budget & { binding: RateLimitBindingName };
  write: Budget & { binding: RateLimitBindingName };
}

export const RATE_LIMIT_LEVELS = {
  standard: {
    read: { binding: "RATE_LIMIT_STANDARD_READ", limit: 3000, periodSeconds: 60 },
    write: { binding: "RATE_LIMIT_STANDARD_WRITE", limit: 3000, periodSeconds: 60 },
  },
  high: {
    read: { binding: "RATE_LIMIT_HIGH_READ", limit: 12000, periodSeconds: 60 },
    write: { binding: "RATE_LIMIT_HIGH_WRITE", limit: 12000, periodSeconds: 60 },
  },
  restricted: {
    read: { binding: "RATE_LIMIT_RESTRICTED", limit: 10, periodSeconds: 10 },
    write: { binding: "RATE_LIMIT_RESTRICTED", limit: 10, periodSeconds: 10 },
  },
} as const satisfies Record<string, LevelDefinition>;

export type RateLimitLevel = keyof typeof RATE_LIMIT_LEVELS;
export const LEVEL_NAMES = Object.keys(RATE_LIMIT_LEVELS) as [RateLimitLevel, ...RateLimitLevel[]];
export const DEFAULT_LEVEL: RateLimitLevel = "standard";

export function isLevel(name: unknown): name is RateLimitLevel {
  return typeof name === "string" && Object.hasOwn(RATE_LIMIT_LEVELS, name);
}

/** A stored or cached level; anything unknown (an old cache entry, a level since removed) is the default. */
export function levelOrDefault(name: unknown): RateLimitLevel {
  return isLevel(name) ? name : DEFAULT_LEVEL;
}

/** The levels as the admin API shows them: budgets only. */
export function levelBudgets() {
  return Object.fromEntries(
    Object.entries(RATE_LIMIT_LEVELS).map(([name, level]) => [
      name,
      {
        read: { limit: level.read.limit, periodSeconds: level.read.periodSeconds },
        write: { limit: level.write.limit, periodSeconds: level.write.periodSeconds },
      },
    ]),
  );
}

/** Reads are GET/HEAD and the POST …/.search queries; everything else writes. */
export function requestClass(method: string, path: string): RequestClass {
  if (method === "GET" || method === "HEAD") return "read";
  if (method === "POST" && /\/\.search\/?$/.test(path)) return "read";
  return "write";
}

export type RateLimiters = Partial<Record<RateLimitBindingName, RateLimit>>;

/**
 * Per isolate: until when an org was refused, per binding. A refused org is refused for the
 * Retry-After it was given without asking the binding again, so a flood costs as little as possible.
 */
const refusedUntil = new Map<string, number>();
const MAX_REMEMBERED = 10_000;

export type RateLimitOutcome = { allowed: true } | { allowed: false; retryAfterSeconds: number; budget: Budget };

/**
 * Counts one request of `orgId` against its level's budget for the class. A missing binding (a
 * deployment without the [[ratelimits]] entries) or a failing one lets the request through: the
 * limiter protects other tenants, and must never be the reason a request fails.
 */
/** Forgets this isolate's refusals of the org (its level changed); other isolates forget them within Retry-After. */
export function forgetRefusedOrg(orgId: string): void {
  for (const key of [...refusedUntil.keys()]) if (key.endsWith(`:${orgId}`)) refusedUntil.delete(key);
}

export async function checkRateLimit(
  limiters: RateLimiters,
  level: RateLimitLevel,
  orgId: string,
  klass: RequestClass,
  now: number,
): Promise<RateLimitOutcome> {
  const budget = RATE_LIMIT_LEVELS[level][klass];
  const binding = limiters[budget.binding];
  if (!binding) return { allowed: true };
  const key = `${budget.binding}:${orgId}`;
  const until = refusedUntil.get(key);
  if (until !== undefined && now < until) {
    return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)), budget };
  }
  try {
    const { success } = await binding.limit({ key: orgId });
    if (success) return { allowed: true };
  } catch {
    return { allowed: true };
  }
  if (refusedUntil.size >= MAX_REMEMBERED) refusedUntil.clear();
  refusedUntil.set(key, now + budget.periodSeconds * 1000);
  return { allowed: false, retryAfterSeconds: budget.periodSeconds, budget };
}

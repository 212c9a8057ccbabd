/**
 * The per-organization request budget (src/services/rate-limits.ts) on every authenticated SCIM
 * request, before the handler touches D1: past it, 429 with a SCIM error body and Retry-After, and
 * nothing is written. Runs after scimAuth, so the org is the token's, and inside the provisioning
 * log, so the org sees its 429s there.
 *
 * A flood must cost as little as possible: once a token's org is refused, the same token is refused
 * for the Retry-After it was given straight from isolate memory (`recentlyRefused`, consulted by
 * identifyScimCaller before any KV or D1 lookup). Only refusals are remembered, never acceptance, so
 * this can turn a 401 (a token revoked meanwhile) into a 429 for those seconds, but never let a
 * request through.
 */
import { createMiddleware } from "hono/factory";
import type { TokenResolution } from "../../auth/scim-tokens";
import { ScimError } from "../../scim/errors";
import { checkRateLimit, forgetRefusedOrg, levelOrDefault, requestClass, type RateLimitLevel, type RequestClass } from "../../services/rate-limits";
import type { AppEnv } from "../context";

export interface Refusal {
  resolution: Extract<TokenResolution, { kind: "ok" }>;
  level: RateLimitLevel;
  until: number;
  detail: string;
}

const refusedTokens = new Map<string, Refusal>();
const MAX_REMEMBERED = 10_000;

/** A refusal still running for this token (by its hash) and request class, or null. */
export function recentlyRefused(tokenHash: string, klass: RequestClass, now: number): Refusal | null {
  const key = `${klass}:${tokenHash}`;
  const refusal = refusedTokens.get(key);
  if (!refusal) return null;
  if (now >= refusal.until) {
    refusedTokens.delete(key);
    return null;
  }
  return refusal;
}

function remember(tokenHash: string, classes: RequestClass[], refusal: Refusal) {
  if (refusedTokens.size >= MAX_REMEMBERED) refusedTokens.clear();
  for (const klass of classes) refusedTokens.set(`${klass}:${tokenHash}`, refusal);
}

/** Forgets this isolate's remembered refusals of the org's tokens (its level changed). */
export function forgetRefusals(orgId: string): void {
  for (const [key, refusal] of [...refusedTokens]) if (refusal.resolution.orgId === orgId) refusedTokens.delete(key);
  forgetRefusedOrg(orgId);
}

function tooMany(detail: string, retryAfterSeconds: number): ScimError {
  return new ScimError(429, detail, undefined, { "Retry-After": String(retryAfterSeconds) });
}

export const scimRateLimit = createMiddleware<AppEnv>(async (c, next) => {
  const now = c.var.clock();
  const remembered = c.var.rateLimitRefusal;
  if (remembered) throw tooMany(remembered.detail, Math.max(1, Math.ceil((remembered.until - now) / 1000)));

  const level = levelOrDefault(c.var.rateLimitLevel);
  const klass = requestClass(c.req.method, c.req.path);
  const outcome = await checkRateLimit(c.env, level, c.var.orgId, klass, now);
  if (!outcome.allowed) {
    const { limit, periodSeconds } = outcome.budget;
    const detail = `Too many requests: this organization's rate limit (${level}) allows ${limit} ${level === "restricted" ? "requests" : `${klass} requests`} per ${periodSeconds} seconds`;
    const resolution = c.var.scimToken;
    if (resolution?.kind === "ok" && c.var.scimTokenHash) {
      // restricted shares one budget between reads and writes: its refusal holds for both.
      const classes: RequestClass[] = level === "restricted" ? ["read", "write"] : [klass];
      remember(c.var.scimTokenHash, classes, { resolution, level, until: now + outcome.retryAfterSeconds * 1000, detail });
    }
    throw tooMany(`${detail}; retry after ${outcome.retryAfterSeconds} seconds`, outcome.retryAfterSeconds);
  }
  await next();
});

import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import {
  cacheKey,
  CACHE_TTL_MAX_SECONDS,
  hashToken,
  resolveScimToken,
  type CachedToken,
} from "../../src/auth/scim-tokens";
import { database } from "../../src/db/client";
import { touchToken } from "../../src/db/tokens";
import { admin, expectScimError, manualClock, newScimOrg, scimClient, viaApp } from "../support/helpers";

const DAY = 86_400_000;

async function tokenRow(tokenId: string) {
  return env.DB.prepare("SELECT * FROM scim_tokens WHERE id = ?").bind(tokenId).first<Record<string, unknown>>();
}

async function cachedEntry(token: string) {
  const key = cacheKey(await hashToken(token));
  const listed = await env.TOKEN_CACHE.list({ prefix: key });
  return { value: await env.TOKEN_CACHE.get<CachedToken>(key, "json"), expiration: listed.keys[0]?.expiration };
}

describe("minting and storing tokens", () => {
  it("returns an opaque scim_ token once and stores only its SHA-256", async () => {
    const org = (await admin("POST", "/orgs", { name: "Hashing" })).body;
    const created = await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "JumpCloud", ttlDays: 365 });
    expect(created.status).toBe(201);
    expect(created.headers.get("Cache-Control")).toBe("no-store");
    const { token, id, prefix } = created.body;
    expect(token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/); // 32 random bytes = 256 bits
    expect(prefix).toBe(token.slice(0, 12));
    expect(created.body).toMatchObject({ description: "JumpCloud", scimUrl: "https://scim.test/scim/v2" });
    expect(Date.parse(created.body.expiresAt) - Date.parse(created.body.createdAt)).toBe(365 * DAY);

    const row = await tokenRow(id);
    expect(row!.token_hash).toBe(await hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token);

    const listed = await admin("GET", `/orgs/${org.id}/scim/tokens`);
    expect(listed.body.tokens).toEqual([
      {
        id,
        description: "JumpCloud",
        prefix,
        createdAt: created.body.createdAt,
        expiresAt: created.body.expiresAt,
        lastUsedAt: null,
        revokedAt: null,
        rotatedAt: null,
        replacedBy: null,
        expiringSoon: false,
        // Never used: the connection status is empty (test/admin/token-status.test.ts fills it).
        status: { lastRequest: null, last24h: { requests: 0, errors: 0 }, lastError: null },
      },
    ]);
    expect(JSON.stringify(listed.body)).not.toContain(token);
    expect(JSON.stringify(listed.body)).not.toContain(String(row!.token_hash));
  });

  it("never puts the plaintext in the cache", async () => {
    const client = await newScimOrg({ send: viaApp() });
    expect((await client.call("GET", "/Users")).status).toBe(200);
    const { value } = await cachedEntry(client.token);
    expect(value).toEqual({ orgId: client.orgId, tokenId: client.tokenId, rateLimitLevel: "standard", expiresAt: expect.any(Number) });
    const keys = await env.TOKEN_CACHE.list();
    for (const key of keys.keys) {
      expect(key.name).not.toContain(client.token);
      expect(await env.TOKEN_CACHE.get(key.name)).not.toContain(client.token);
    }
  });

  it("takes a lifetime of 0–730 days, 365 by default, 0 meaning never", async () => {
    const org = (await admin("POST", "/orgs", { name: "Lifetimes" })).body;
    const never = await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "forever", ttlDays: 0 });
    expect(never.body.expiresAt).toBeNull();
    const byDefault = await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "default" });
    expect(Date.parse(byDefault.body.expiresAt) - Date.parse(byDefault.body.createdAt)).toBe(365 * DAY);
    const max = await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "max", ttlDays: 730 });
    expect(max.status).toBe(201);
    for (const bad of [{ ttlDays: 731 }, { ttlDays: -1 }, { ttlDays: 1.5 }, { ttlDays: "30" }, { description: "" }, { description: 7 }]) {
      const res = await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "x", ...bad });
      expect(res.status, JSON.stringify(bad)).toBe(400);
      expect(res.body.error.field).toBeDefined();
    }
    expect((await admin("GET", `/orgs/${org.id}/scim/tokens`)).body.tokens).toHaveLength(3); // nothing written by the 400s
  });

  it("keeps revoked tokens listed with revokedAt, and 404s unknown or foreign token ids", async () => {
    const a = await newScimOrg();
    const b = await newScimOrg();
    expect((await admin("DELETE", `/orgs/${b.orgId}/scim/tokens/${a.tokenId}`)).status).toBe(404);
    expect((await admin("DELETE", `/orgs/${a.orgId}/scim/tokens/nope`)).status).toBe(404);
    expect((await admin("DELETE", `/orgs/${a.orgId}/scim/tokens/${a.tokenId}`)).status).toBe(204);
    const [listed] = (await admin("GET", `/orgs/${a.orgId}/scim/tokens`)).body.tokens;
    expect(listed.revokedAt).toEqual(expect.any(String));
    // Revoking again is harmless and keeps the first revocation time.
    expect((await admin("DELETE", `/orgs/${a.orgId}/scim/tokens/${a.tokenId}`)).status).toBe(204);
    expect((await admin("GET", `/orgs/${a.orgId}/scim/tokens`)).body.tokens[0].revokedAt).toBe(listed.revokedAt);
  });
});

describe("token lookup: KV cache in front of D1", () => {
  it("fills the cache on a D1 hit, for at most 300 s", async () => {
    const client = await newScimOrg({ send: viaApp() });
    expect((await cachedEntry(client.token)).value).toBeNull();
    expect((await client.call("GET", "/Users")).status).toBe(200);
    const { value, expiration } = await cachedEntry(client.token);
    expect(value!.tokenId).toBe(client.tokenId);
    expect(expiration! - Date.now() / 1000).toBeLessThanOrEqual(CACHE_TTL_MAX_SECONDS);
    expect(expiration! - Date.now() / 1000).toBeGreaterThan(CACHE_TTL_MAX_SECONDS - 30);
  });

  it("treats a cache miss as a miss, never as invalid", async () => {
    const client = await newScimOrg({ send: viaApp() });
    await client.call("GET", "/Users");
    await env.TOKEN_CACHE.delete(cacheKey(await hashToken(client.token)));
    expect((await client.call("GET", "/Users")).status).toBe(200);
  });

  it("never caches unknown, revoked or expired tokens", async () => {
    const clock = manualClock(Date.now());
    const send = viaApp({ clock: clock.clock });
    const client = await newScimOrg({ send });
    const unknown = scimClient(client.orgId, `scim_${"A".repeat(43)}`, "", client.scimUrl, send);
    expectScimError(await unknown.call("GET", "/Users"), 401);
    expect((await cachedEntry(unknown.token)).value).toBeNull();

    await admin("DELETE", `/orgs/${client.orgId}/scim/tokens/${client.tokenId}`, undefined, send);
    expectScimError(await client.call("GET", "/Users"), 401);
    expect((await cachedEntry(client.token)).value).toBeNull();

    const other = await newScimOrg({ send });
    clock.advance(31 * DAY); // newScimOrg mints 30-day tokens
    expectScimError(await other.call("GET", "/Users"), 401);
    expect((await cachedEntry(other.token)).value).toBeNull();
  });

  it("does not cache a token that expires within 60 s, and checks expiry on every request", async () => {
    const clock = manualClock(Date.now());
    const send = viaApp({ clock: clock.clock });
    const client = await newScimOrg({ send });
    const expiresAt = Date.parse((await admin("GET", `/orgs/${client.orgId}/scim/tokens`)).body.tokens[0].expiresAt);

    // Cached while it has long to live...
    expect((await client.call("GET", "/Users")).status).toBe(200);
    expect((await cachedEntry(client.token)).value).not.toBeNull();
    // ...but the cached entry does not outlive the token: expiry is exact.
    clock.set(expiresAt);
    const expired = await client.call("GET", "/Users");
    expectScimError(expired, 401);
    expect(expired.body.detail).toMatch(/expired/);

    await env.TOKEN_CACHE.delete(cacheKey(await hashToken(client.token)));
    clock.set(expiresAt - 30_000);
    expect((await client.call("GET", "/Users")).status).toBe(200);
    expect((await cachedEntry(client.token)).value).toBeNull();
  });

  it("serves requests when KV fails or is rate-limited", async () => {
    const failingKv = {
      get: async () => {
        throw new Error("KV GET failed: 429 Too Many Requests");
      },
      put: async () => {
        throw new Error("KV PUT failed: 429 Too Many Requests");
      },
      delete: async () => {
        throw new Error("KV DELETE failed");
      },
      list: async () => ({ keys: [], list_complete: true }),
    } as unknown as KVNamespace;
    const send = viaApp({ env: { TOKEN_CACHE: failingKv } });
    const client = await newScimOrg({ send });
    expect((await client.call("GET", "/Users")).status).toBe(200);
    expect((await client.call("GET", "/Users")).status).toBe(200);
    expect((await admin("DELETE", `/orgs/${client.orgId}/scim/tokens/${client.tokenId}`, undefined, send)).status).toBe(204);
    expectScimError(await client.call("GET", "/Users"), 401);
  });
});

describe("revocation and SCIM-off take effect on the next request", () => {
  it("answers 401 right after a revoke, even with a warm cache", async () => {
    const client = await newScimOrg();
    expect((await client.call("GET", "/Users")).status).toBe(200);
    expect((await client.call("GET", "/Users")).status).toBe(200); // served from the cache
    await admin("DELETE", `/orgs/${client.orgId}/scim/tokens/${client.tokenId}`);
    const res = await client.call("GET", "/Users");
    expectScimError(res, 401);
    expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
    expect(res.body.detail).toMatch(/revoked/);
  });

  it("answers 403 while SCIM is off and accepts the same token again once it is back on", async () => {
    const client = await newScimOrg();
    expect((await client.call("GET", "/Users")).status).toBe(200);
    await admin("PATCH", `/orgs/${client.orgId}/scim`, { enabled: false });
    expectScimError(await client.call("GET", "/Users"), 403);
    // Tokens can be minted while SCIM is off; they work once it is on.
    const minted = (await admin("POST", `/orgs/${client.orgId}/scim/tokens`, { description: "while off" })).body;
    const second = scimClient(client.orgId, minted.token, minted.id, minted.scimUrl);
    expectScimError(await second.call("GET", "/Users"), 403);
    await admin("PATCH", `/orgs/${client.orgId}/scim`, { enabled: true });
    expect((await client.call("GET", "/Users")).status).toBe(200);
    expect((await second.call("GET", "/Users")).status).toBe(200);
  });

  it("bounds the entry a racing lookup writes back after a revoke to 300 s", async () => {
    const client = await newScimOrg();
    let releasePut!: () => void;
    const putGate = new Promise<void>((r) => (releasePut = r));
    let putStarted!: () => void;
    const reachedPut = new Promise<void>((r) => (putStarted = r));
    // A KV binding that holds the cache write until the test has revoked the token.
    const pausingKv = new Proxy(env.TOKEN_CACHE, {
      get(target, prop) {
        if (prop === "put") {
          return async (...args: Parameters<KVNamespace["put"]>) => {
            putStarted();
            await putGate;
            return target.put(...args);
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    const ctx = createExecutionContext();
    const resolution = await resolveScimToken(
      { db: database(env.DB), kv: pausingKv, now: () => Date.now(), waitUntil: (p) => ctx.waitUntil(p) },
      client.token,
    );
    expect(resolution.kind).toBe("ok");
    await reachedPut; // D1 has been read; the cache write is pending

    await admin("DELETE", `/orgs/${client.orgId}/scim/tokens/${client.tokenId}`);
    releasePut();
    await waitOnExecutionContext(ctx);

    // The stale entry exists (the documented worst case) but expires within 300 s.
    const { value, expiration } = await cachedEntry(client.token);
    expect(value?.tokenId).toBe(client.tokenId);
    expect(expiration! - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(CACHE_TTL_MAX_SECONDS);
  });
});

describe("lastUsedAt", () => {
  it("is recorded at most once a minute per token", async () => {
    const clock = manualClock(Date.UTC(2026, 5, 1));
    const send = viaApp({ clock: clock.clock });
    const client = await newScimOrg({ send });
    const lastUsed = async () => (await tokenRow(client.tokenId))!.last_used_at;
    expect(await lastUsed()).toBeNull();

    const t0 = clock.clock();
    await client.call("GET", "/Users");
    expect(await lastUsed()).toBe(t0);
    clock.advance(30_000);
    await client.call("GET", "/Users");
    expect(await lastUsed()).toBe(t0);
    clock.advance(31_000);
    await client.call("GET", "/Users");
    expect(await lastUsed()).toBe(t0 + 61_000);
    const listed = (await admin("GET", `/orgs/${client.orgId}/scim/tokens`, undefined, send)).body.tokens[0];
    expect(listed.lastUsedAt).toBe(new Date(t0 + 61_000).toISOString());
  });

  it("lets only one of several concurrent updates through within the minute", async () => {
    const client = await newScimOrg();
    const db = database(env.DB);
    const at = Date.now() + 3_600_000;
    const results = await Promise.all(Array.from({ length: 5 }, () => touchToken(db, client.tokenId, at, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});

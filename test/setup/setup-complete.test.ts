import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { base64url, sha256Hex } from "../../src/lib/crypto";
import { orgWriter } from "../../src/org-writer/client";
import { admin, manualClock, request, viaApp, viaWorker } from "../support/helpers";
import {
  complete,
  issueLink,
  linkToken,
  myKeys,
  orgWithUsers,
  provision,
  rowCount,
  scimOrgWithUsers,
  scimSetActive,
  sessionCookie,
  setActive,
  testBundle,
  tokenOf,
} from "../support/setup-helpers";

const DAY = 24 * 60 * 60 * 1000;
const HOUR = 60 * 60 * 1000;

async function spki(key: CryptoKey) {
  return base64url(new Uint8Array((await crypto.subtle.exportKey("spki", key)) as ArrayBuffer));
}

/**
 * A D1 binding whose batches wait until `parties` of them have arrived, then all run. Two
 * completions through it have both finished their reads before either writes: the worst interleaving
 * of a double submit, every time.
 */
function barrierD1(inner: D1Database, parties: number): D1Database {
  let waiting: (() => void)[] = [];
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          await new Promise<void>((resolve) => {
            waiting.push(resolve);
            if (waiting.length === parties) {
              for (const release of waiting) release();
              waiting = [];
            }
          });
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
}

describe("setup: completing with a link", () => {
  it("stores the bundle, marks setup complete and starts a hashed 12-hour session in a strict cookie", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    const bundle = await testBundle();
    const res = await complete(token, bundle);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      userId,
      userName: expect.any(String),
      setupState: "complete",
      sessionExpiresAt: expect.any(String),
    });
    expect(res.headers.get("Cache-Control")).toBe("no-store");

    const cookie = res.headers.get("Set-Cookie")!;
    const attributes = cookie.split(";").map((p) => p.trim().toLowerCase());
    expect(cookie).toMatch(/^edge_scim_user=[A-Za-z0-9_-]{43};/);
    expect(attributes).toEqual(
      expect.arrayContaining(["httponly", "secure", "samesite=strict", "path=/api/v1/me", "max-age=43200"]),
    );
    expect(cookie).not.toMatch(/__Host-/);

    const sessionId = sessionCookie(res.headers);
    const stored = await env.DB.prepare("SELECT * FROM user_sessions WHERE user_id = ?").bind(userId).all<any>();
    expect(stored.results).toHaveLength(1);
    expect(stored.results[0].id_hash).toBe(await sha256Hex(sessionId));
    expect(stored.results[0].expires_at - stored.results[0].created_at).toBe(12 * HOUR);
    expect(JSON.stringify(stored.results)).not.toContain(sessionId);

    const user = await env.DB.prepare("SELECT setup_state FROM users WHERE id = ?").bind(userId).first("setup_state");
    expect(user).toBe("complete");
    const link = await env.DB.prepare("SELECT used_at, consumed_by FROM setup_links WHERE user_id = ?").bind(userId).first<any>();
    expect(link.used_at).toEqual(expect.any(Number));
    expect(link.consumed_by).toEqual(expect.any(String));

    const keys = await myKeys(sessionId);
    expect(keys.status).toBe(200);
    expect(keys.headers.get("Cache-Control")).toBe("no-store");
    expect(keys.body).toEqual({ userId, userName: res.body.userName, ...bundle, createdAt: expect.any(String) });
  });

  it("consumes a link exactly once", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    const first = await testBundle();
    expect((await complete(token, first)).status).toBe(200);
    const again = await complete(token, await testBundle());
    expect(again.status).toBe(410);
    expect(again.body.error).toMatchObject({ code: "link_used", message: expect.stringMatching(/already been used/) });
    expect(again.headers.get("Set-Cookie")).toBeNull();
    expect(await rowCount("user_sessions", "user_id = ?", userId)).toBe(1);
    const stored = await env.DB.prepare("SELECT public_key FROM user_keys WHERE user_id = ?").bind(userId).first("public_key");
    expect(stored).toBe(first.publicKey);
  });

  it("lets exactly one of two concurrent completions win; the loser's batch changes nothing", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    const send = viaApp({ env: { DB: barrierD1(env.DB, 2) } });
    const bundles = [await testBundle(), await testBundle()];
    const results = await Promise.all(bundles.map((b) => complete(token, b, send)));

    expect(results.map((r) => r.status).sort()).toEqual([200, 410]);
    const winner = results.findIndex((r) => r.status === 200);
    const loser = results[1 - winner];
    expect(loser.body.error.code).toBe("link_used");
    expect(loser.headers.get("Set-Cookie")).toBeNull();

    expect(await rowCount("user_sessions", "user_id = ?", userId)).toBe(1);
    expect(await rowCount("user_keys", "user_id = ?", userId)).toBe(1);
    const stored = await env.DB.prepare("SELECT public_key FROM user_keys WHERE user_id = ?").bind(userId).first("public_key");
    expect(stored).toBe(bundles[winner].publicKey);
    expect((await myKeys(sessionCookie(results[winner].headers))).body.publicKey).toBe(bundles[winner].publicKey);
  });

  it("expires a link after 7 days (injected clock)", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const { orgId, userIds: [early, late] } = await orgWithUsers(2, send);
    const issued = await issueLink(orgId, early, send);
    expect(issued.body.expiresAt).toBe(new Date(time.clock() + 7 * DAY).toISOString());
    const lateToken = await linkToken(orgId, late, send);

    time.advance(7 * DAY - 1);
    expect((await complete(tokenOf(issued.body.url), await testBundle(), send)).status).toBe(200);
    time.advance(1);
    const expired = await complete(lateToken, await testBundle(), send);
    expect(expired.status).toBe(410);
    expect(expired.body.error).toMatchObject({ code: "link_expired", message: expect.stringMatching(/expired/) });
    expect(await rowCount("user_keys", "user_id = ?", late)).toBe(0);
  });

  it("refuses a link that a newer one replaced, and accepts the newer one", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const older = await linkToken(orgId, userId);
    const newer = await linkToken(orgId, userId);
    const refused = await complete(older, await testBundle());
    expect(refused.status).toBe(410);
    expect(refused.body.error).toMatchObject({ code: "link_superseded", message: expect.stringMatching(/newer/) });
    expect((await complete(newer, await testBundle())).status).toBe(200);
    expect((await complete(older, await testBundle())).body.error.code).toBe("link_superseded");
  });

  it("answers 401 for an unknown or missing token, with a message the page can show", async () => {
    const unknown = await complete("setup_" + "x".repeat(43), await testBundle());
    expect(unknown.status).toBe(401);
    expect(unknown.body.error).toMatchObject({ code: "invalid_link", message: expect.stringMatching(/not valid/) });
    const missing = await complete(null, await testBundle());
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe("invalid_link");
  });

  it("needs no operator credential, and an operator credential is not a setup token", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    await linkToken(orgId, userId);
    const asOperator = await complete(env.ADMIN_TOKEN, await testBundle());
    expect(asOperator.status).toBe(401);
    expect(await rowCount("user_keys", "user_id = ?", userId)).toBe(0);
  });
});

describe("setup: the key bundle is checked strictly", () => {
  const rsa = async (bits: number) =>
    spki(
      ((await crypto.subtle.generateKey(
        { name: "RSA-OAEP", modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" },
        true,
        ["encrypt", "decrypt"],
      )) as CryptoKeyPair).publicKey,
    );

  it("answers 400 naming the field, and leaves the link usable", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    const good = await testBundle();
    const p384 = await spki(
      ((await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-384" }, true, ["deriveBits"])) as CryptoKeyPair)
        .publicKey,
    );
    const { kdf, ...withoutKdf } = good;
    const cases: [unknown, string][] = [
      [{ ...good, publicKey: "not base64url!" }, "publicKey"],
      [{ ...good, publicKey: base64url(crypto.getRandomValues(new Uint8Array(91))) }, "publicKey"],
      [{ ...good, publicKey: p384 }, "publicKey"],
      [{ ...good, publicKey: await rsa(2048) }, "publicKey"],
      // An X25519 DER prefix in front of a key of the wrong length.
      [{ ...good, publicKey: base64url(new Uint8Array([0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00, 1, 2])) }, "publicKey"],
      [{ ...good, publicKey: "" }, "publicKey"],
      [{ ...good, encryptedPrivateKey: "" }, "encryptedPrivateKey"],
      [{ ...good, encryptedPrivateKey: base64url(new Uint8Array(16)) }, "encryptedPrivateKey"],
      [{ ...good, encryptedPrivateKey: base64url(new Uint8Array(8193)) }, "encryptedPrivateKey"],
      [{ ...good, encryptedPrivateKey: 42 }, "encryptedPrivateKey"],
      [{ ...good, iv: base64url(new Uint8Array(16)) }, "iv"],
      [{ ...good, iv: base64url(new Uint8Array(11)) }, "iv"],
      [{ ...good, salt: base64url(new Uint8Array(15)) }, "salt"],
      [{ ...good, salt: "a+b/c=" }, "salt"],
      [{ ...good, kdf: { ...kdf, iterations: 599_999 } }, "kdf.iterations"],
      [{ ...good, kdf: { ...kdf, iterations: 600_000.5 } }, "kdf.iterations"],
      [{ ...good, kdf: { ...kdf, hash: "SHA-1" } }, "kdf.hash"],
      [{ ...good, kdf: { ...kdf, name: "scrypt" } }, "kdf.name"],
      [{ ...good, kdf: { ...kdf, extra: 1 } }, "kdf.extra"],
      [withoutKdf, "kdf"],
      [{ ...good, passphrase: "never send this" }, "passphrase"],
    ];
    for (const [body, field] of cases) {
      const res = await complete(token, body);
      expect(res.status, `${field}: ${JSON.stringify(res.body)}`).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_request", field });
      expect(res.body.error.message).toContain(field);
    }
    expect((await complete(token, "{not json")).status).toBe(400);
    expect(await rowCount("user_keys", "user_id = ?", userId)).toBe(0);
    expect((await complete(token, good)).status).toBe(200);
  });

  it("accepts RSA-OAEP of 3072 bits and X25519 public keys", async () => {
    const { orgId, userIds } = await orgWithUsers(2);
    const x25519 = await spki(((await crypto.subtle.generateKey({ name: "X25519" }, true, ["deriveBits"])) as CryptoKeyPair).publicKey);
    for (const [i, publicKey] of [await rsa(3072), x25519].entries()) {
      const res = await complete(await linkToken(orgId, userIds[i]), await testBundle({ publicKey }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
    }
  });

  it("refuses a body over 32 KiB with 413", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const res = await complete(await linkToken(orgId, userId), { ...(await testBundle()), pad: "x".repeat(40_000) });
    expect(res.status).toBe(413);
  });
});

describe("setup: deactivated, deleted and re-provisioned users", () => {
  it("blocks completion for a user deactivated through SCIM, and allows it again after reactivation", async () => {
    const { org, orgId, userIds: [userId] } = await scimOrgWithUsers();
    const token = await linkToken(orgId, userId);
    await scimSetActive(org, userId, false);
    const blocked = await complete(token, await testBundle());
    expect(blocked.status).toBe(403);
    expect(blocked.body.error).toMatchObject({ code: "user_deactivated", message: expect.stringMatching(/deactivated/) });
    expect(await rowCount("user_keys", "user_id = ?", userId)).toBe(0);
    await scimSetActive(org, userId, true);
    expect((await complete(token, await testBundle())).status).toBe(200);
  });

  it("refuses key reads of a user deactivated through SCIM and ends their sessions at the next request", async () => {
    const { org, orgId, userIds: [userId] } = await scimOrgWithUsers();
    const done = await complete(await linkToken(orgId, userId), await testBundle());
    const sessionId = sessionCookie(done.headers);
    expect((await myKeys(sessionId)).status).toBe(200);

    await scimSetActive(org, userId, false);
    const refused = await myKeys(sessionId);
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe("user_deactivated");
    expect(JSON.stringify(refused.body)).not.toContain("encrypted");
    expect(refused.headers.get("Set-Cookie")).toMatch(/^edge_scim_user=;.*Max-Age=0/);
    expect(await rowCount("user_sessions", "user_id = ?", userId)).toBe(0);

    await scimSetActive(org, userId, true);
    const ended = await myKeys(sessionId);
    expect(ended.status).toBe(401);
    expect(ended.body.error.code).toBe("no_session");
  });

  it("ends a session after 12 hours (injected clock)", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const { orgId, userIds: [userId] } = await orgWithUsers(1, send);
    const done = await complete(await linkToken(orgId, userId, send), await testBundle(), send);
    const sessionId = sessionCookie(done.headers);
    time.advance(12 * HOUR - 1);
    expect((await myKeys(sessionId, send)).status).toBe(200);
    time.advance(1);
    const expired = await myKeys(sessionId, send);
    expect(expired.status).toBe(401);
    expect(expired.body.error.code).toBe("session_expired");
    expect(await rowCount("user_sessions", "user_id = ?", userId)).toBe(0);
  });

  it("answers 401 without a session cookie or with an unknown one", async () => {
    expect((await myKeys(null)).body.error.code).toBe("no_session");
    expect((await myKeys("made-up")).status).toBe(401);
    // An operator credential opens no person's keys.
    const asOperator = await viaWorker(
      request("GET", "/api/v1/me/keys", { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } }),
    );
    expect(asOperator.status).toBe(401);
  });

  it("a SCIM DELETE erases keys, links and sessions; re-provisioning the userName starts over, pending, without keys", async () => {
    const { org, orgId } = await scimOrgWithUsers(0);
    const userId = await provision(org, "Ada@Example.com");
    const done = await complete(await linkToken(orgId, userId), await testBundle());
    const sessionId = sessionCookie(done.headers);
    await linkToken(orgId, (await provision(org, "bystander@example.com"))); // another user's link stays

    expect((await org.call("DELETE", `/Users/${userId}`)).status).toBe(204);
    for (const table of ["user_keys", "setup_links", "user_sessions", "user_emails"]) {
      expect(await rowCount(table, "user_id = ?", userId), table).toBe(0);
    }
    expect(await rowCount("setup_links", "org_id = ?", orgId)).toBe(1);
    expect((await myKeys(sessionId)).status).toBe(401);

    const again = await provision(org, "ada@example.com");
    expect(again).not.toBe(userId);
    const user = (await admin("GET", `/orgs/${orgId}/users/${again}`)).body;
    expect(user).toMatchObject({ id: again, userName: "ada@example.com", setupState: "pending", active: true });
    expect(await rowCount("user_keys", "user_id = ?", again)).toBe(0);
    expect(await rowCount("user_sessions", "user_id = ?", again)).toBe(0);
    expect((await myKeys(sessionId)).status).toBe(401);
    expect((await issueLink(orgId, again)).status).toBe(201);
  });

  it("the OrgWriter's user deletion erases them the same way", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const sessionId = sessionCookie((await complete(await linkToken(orgId, userId), await testBundle())).headers);
    expect((await orgWriter(env, orgId).deleteUser(orgId, userId, undefined)).ok).toBe(true);
    for (const table of ["user_keys", "setup_links", "user_sessions"]) {
      expect(await rowCount(table, "user_id = ?", userId), table).toBe(0);
    }
    expect((await myKeys(sessionId)).status).toBe(401);
  });

  it("SCIM responses never carry setup state, links, sessions or key material", async () => {
    const { org, orgId, userIds: [userId] } = await scimOrgWithUsers();
    const token = await linkToken(orgId, userId);
    const bundle = await testBundle();
    const sessionId = sessionCookie((await complete(token, bundle)).headers);
    const responses = JSON.stringify([
      (await org.call("GET", `/Users/${userId}`)).body,
      (await org.call("GET", "/Users")).body,
      (await org.call("GET", `/Users?filter=${encodeURIComponent(`id eq "${userId}"`)}`)).body,
      (await org.call("PATCH", `/Users/${userId}`, {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "displayName", value: "Renamed" }],
      })).body,
    ]);
    expect(responses).toContain(userId);
    for (const secret of [token, sessionId, bundle.encryptedPrivateKey, bundle.iv, bundle.salt, bundle.publicKey]) {
      expect(responses).not.toContain(secret);
    }
    expect(responses).not.toMatch(/setupState|setup_state|"pending"|"complete"|encrypted|publicKey/);
  });
});

describe("setup: secrets stay out of logs", () => {
  afterEach(() => vi.restoreAllMocks());

  it("never logs a setup token, a session id or key material", async () => {
    const lines: string[] = [];
    for (const level of ["log", "info", "warn", "error", "debug"] as const) {
      vi.spyOn(console, level).mockImplementation((...args: unknown[]) => {
        lines.push(args.map((a) => (a instanceof Error ? `${a.message} ${a.stack}` : String(a))).join(" "));
      });
    }
    const send = viaApp();
    const { orgId, userIds: [userId] } = await orgWithUsers(1, send);
    const token = await linkToken(orgId, userId, send);
    const bundle = await testBundle();
    await complete(token, { ...bundle, iv: "bad" }, send);
    const done = await complete(token, bundle, send);
    const sessionId = sessionCookie(done.headers);
    await myKeys(sessionId, send);
    await complete(token, bundle, send);
    await setActive(userId, false);
    await myKeys(sessionId, send);

    const logged = lines.join("\n");
    for (const secret of [token, sessionId, bundle.encryptedPrivateKey, bundle.iv, bundle.salt]) {
      expect(logged).not.toContain(secret);
    }
  });
});

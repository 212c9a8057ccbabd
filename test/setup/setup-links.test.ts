import { env } from "cloudflare:test";
import { afterEach, describe, expect, it, vi } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { admin, asConsole, consoleSignIn, newScimOrg, ORIGIN, request, viaApp, viaWorker } from "../support/helpers";
import {
  complete,
  CORE_USER,
  provision,
  issueLink,
  myKeys,
  orgWithUsers,
  rowCount,
  sessionCookie,
  setActive,
  testBundle,
  tokenOf,
} from "../support/setup-helpers";

const WEBHOOK = { SETUP_WEBHOOK_URL: "https://hooks.example.com/setup", SETUP_WEBHOOK_SECRET: "whsec-test-0123456789" };

/** Links of the user that could still be used (not used, not superseded). */
const liveLinks = (userId: string) =>
  rowCount("setup_links", "user_id = ? AND used_at IS NULL AND superseded_at IS NULL", userId);

describe("admin API: issuing setup links", () => {
  it("answers 201 with a 7-day link whose token lives in the fragment and is stored only as a hash", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const issued = await issueLink(orgId, userId);
    expect(issued.status).toBe(201);
    expect(issued.body).toEqual({ url: expect.any(String), expiresAt: expect.any(String) });
    expect(issued.headers.get("Cache-Control")).toBe("no-store");
    expect(issued.body.url).toMatch(new RegExp(`^${ORIGIN}/setup#token=setup_[A-Za-z0-9_-]{43}$`));
    const token = tokenOf(issued.body.url);

    const rows = await env.DB.prepare("SELECT * FROM setup_links WHERE user_id = ?").bind(userId).all<any>();
    expect(rows.results).toHaveLength(1);
    const row = rows.results[0];
    expect(row.token_hash).toBe(await sha256Hex(token));
    expect(JSON.stringify(row)).not.toContain(token.slice("setup_".length));
    expect(row.expires_at - row.created_at).toBe(7 * 24 * 60 * 60 * 1000);
    expect(new Date(issued.body.expiresAt).getTime()).toBe(row.expires_at);
  });

  it("builds the link on PUBLIC_ORIGIN when it is set", async () => {
    const send = viaApp({ env: { PUBLIC_ORIGIN: "https://id.example.com/" } });
    const { orgId, userIds: [userId] } = await orgWithUsers(1, send);
    const issued = await issueLink(orgId, userId, send);
    expect(issued.body.url).toMatch(/^https:\/\/id\.example\.com\/setup#token=/);
  });

  it("reissuing retires the previous link: only the newest one stays usable", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const first = tokenOf((await issueLink(orgId, userId)).body.url);
    const second = tokenOf((await issueLink(orgId, userId)).body.url);
    expect(second).not.toBe(first);
    expect(await liveLinks(userId)).toBe(1);
    expect((await complete(first, await testBundle())).status).toBe(410);
    expect((await complete(second, await testBundle())).status).toBe(200);
  });

  it("leaves exactly one usable link after concurrent reissues", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const results = await Promise.all(Array.from({ length: 4 }, () => issueLink(orgId, userId)));
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201]);
    expect(await liveLinks(userId)).toBe(1);
    const outcomes = [];
    for (const r of results) outcomes.push((await complete(tokenOf(r.body.url), await testBundle())).status);
    expect(outcomes.filter((s) => s === 200)).toHaveLength(1);
  });

  it("answers 409 once setup is complete and 403 for a deactivated user", async () => {
    const { orgId, userIds: [done, inactive] } = await orgWithUsers(2);
    expect((await complete(tokenOf((await issueLink(orgId, done)).body.url), await testBundle())).status).toBe(200);
    const conflict = await issueLink(orgId, done);
    expect(conflict.status).toBe(409);
    expect(conflict.body.error.code).toBe("setup_complete");

    await setActive(inactive, false);
    const forbidden = await issueLink(orgId, inactive);
    expect(forbidden.status).toBe(403);
    expect(forbidden.body.error.code).toBe("user_deactivated");
    expect(await rowCount("setup_links", "user_id = ?", inactive)).toBe(0);
  });

  it("answers 404 for unknown users, unknown orgs and other orgs' users, and 401 without the operator", async () => {
    const { orgId } = await orgWithUsers(0);
    const { orgId: otherOrg, userIds: [foreign] } = await orgWithUsers();
    for (const [org, user] of [
      [orgId, "nope"],
      ["nope", foreign],
      [orgId, foreign],
    ]) {
      const res = await issueLink(org, user);
      expect(res.status, `${org}/${user}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    expect(await rowCount("setup_links", "user_id = ?", foreign)).toBe(0);
    const anonymous = await viaWorker(request("POST", `/api/v1/orgs/${otherOrg}/users/${foreign}/setup-link`));
    expect(anonymous.status).toBe(401);
  });
});

describe("setup links from the console, and the two kinds of session kept apart", () => {
  it("the console session lists users and issues a link with its CSRF token, never without", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const session = await consoleSignIn();
    const listed = await viaWorker(asConsole(session, "GET", `/api/v1/orgs/${orgId}/users`));
    expect(listed.status).toBe(200);
    expect((await listed.json<any>()).users.map((u: any) => u.id)).toEqual([userId]);

    const path = `/api/v1/orgs/${orgId}/users/${userId}/setup-link`;
    expect((await viaWorker(asConsole(session, "POST", path))).status).toBe(403);
    expect((await viaWorker(asConsole(session, "POST", path, { csrf: session.csrfToken, origin: "https://evil.example" }))).status).toBe(403);
    expect(await rowCount("setup_links", "user_id = ?", userId)).toBe(0);
    const issued = await viaWorker(asConsole(session, "POST", path, { csrf: session.csrfToken }));
    expect(issued.status).toBe(201);
    expect((await issued.json<any>()).url).toMatch(/\/setup#token=setup_/);
  });

  it("a person's session is no operator credential, and the console's session opens no person's keys", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const done = await complete(tokenOf((await issueLink(orgId, userId)).body.url), await testBundle());
    const personal = sessionCookie(done.headers);
    const asPerson = await viaWorker(request("GET", `/api/v1/orgs/${orgId}/users`, { headers: { Cookie: `edge_scim_user=${personal}` } }));
    expect(asPerson.status).toBe(401);
    const console_ = await consoleSignIn();
    const keys = await viaWorker(request("GET", "/api/v1/me/keys", { headers: { Cookie: console_.cookie } }));
    expect(keys.status).toBe(401);
    expect((await myKeys(personal)).status).toBe(200);
  });
});

describe("setup webhook", () => {
  afterEach(() => vi.restoreAllMocks());

  /** Captures outbound fetches; `answer` decides what the "receiver" does. */
  function captureFetch(answer: () => Promise<Response> = async () => new Response("ok")) {
    const sent: Request[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      sent.push(new Request(input as RequestInfo, init));
      return answer();
    });
    return sent;
  }

  /** What a receiver does: recompute HMAC-SHA256 over the raw body with the shared secret. */
  async function verifySignature(req: Request, secret: string) {
    const body = await req.clone().text();
    const key = await crypto.subtle.importKey("raw", new TextEncoder().encode(secret), { name: "HMAC", hash: "SHA-256" }, false, [
      "verify",
    ]);
    const header = req.headers.get("X-Signature") ?? "";
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    const mac = new Uint8Array(header.slice(7).match(/../g)!.map((h) => parseInt(h, 16)));
    const valid = await crypto.subtle.verify("HMAC", key, mac, new TextEncoder().encode(body));
    return { valid, payload: JSON.parse(body) };
  }

  /** An org whose SCIM requests run through an app with these env overrides, ctx.waitUntil awaited. */
  function scimOrgWith(envOverrides: Partial<Cloudflare.Env>) {
    return newScimOrg({ send: viaApp({ env: envOverrides }) });
  }

  it("on a SCIM create, mints a link and POSTs it signed, after the response", async () => {
    const sent = captureFetch();
    const org = await scimOrgWith(WEBHOOK);
    const created = await org.call("POST", "/Users", {
      schemas: [CORE_USER],
      userName: "Grace@Example.com",
      emails: [
        { value: "Grace@Example.com", type: "work", primary: true },
        { value: "g.hopper@example.org", type: "home" },
      ],
    });
    expect(created.status).toBe(201);
    expect(JSON.stringify(created.body)).not.toMatch(/setup|token/i);
    const userId = created.body.id;

    expect(sent).toHaveLength(1);
    expect(sent[0].method).toBe("POST");
    expect(sent[0].url).toBe(WEBHOOK.SETUP_WEBHOOK_URL);
    expect(sent[0].headers.get("Content-Type")).toBe("application/json");
    const { valid, payload } = await verifySignature(sent[0], WEBHOOK.SETUP_WEBHOOK_SECRET);
    expect(valid).toBe(true);
    expect(payload).toEqual({
      orgId: org.orgId,
      userId,
      userName: "Grace@Example.com",
      emails: [
        { value: "Grace@Example.com", type: "work", primary: true },
        { value: "g.hopper@example.org", type: "home" },
      ],
      url: expect.stringMatching(new RegExp(`^${ORIGIN}/setup#token=setup_`)),
      expiresAt: expect.any(String),
    });
    const stored = await env.DB.prepare("SELECT token_hash, expires_at FROM setup_links WHERE user_id = ?").bind(userId).first<any>();
    expect(stored.token_hash).toBe(await sha256Hex(tokenOf(payload.url)));
    expect(new Date(payload.expiresAt).getTime()).toBe(stored.expires_at);

    // A signature made with another secret does not verify.
    expect((await verifySignature(sent[0], "another-secret")).valid).toBe(false);
    expect((await complete(tokenOf(payload.url), await testBundle())).status).toBe(200);
  });

  it("without a webhook, a SCIM create mints no link and sends nothing", async () => {
    const sent = captureFetch();
    const org = await scimOrgWith({ SETUP_WEBHOOK_URL: "" });
    const userId = await provision(org, "nohook@example.com");
    expect(sent).toHaveLength(0);
    expect(await rowCount("setup_links", "user_id = ?", userId)).toBe(0);
  });

  it("with a URL but no secret, sends nothing unsigned and mints no link", async () => {
    const sent = captureFetch();
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const org = await scimOrgWith({ ...WEBHOOK, SETUP_WEBHOOK_SECRET: "" });
    const userId = await provision(org, "unsigned@example.com");
    expect(sent).toHaveLength(0);
    expect(await rowCount("setup_links", "user_id = ?", userId)).toBe(0);
    expect(errors.mock.calls.flat().join(" ")).toMatch(/SETUP_WEBHOOK_SECRET/);
  });

  it("a failing receiver never fails the SCIM create or the reissue that triggered it", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const org = await scimOrgWith(WEBHOOK);
    const failures = [
      async () => new Response("boom", { status: 500 }),
      async () => {
        throw new TypeError("connection refused");
      },
    ];
    for (const [i, answer] of failures.entries()) {
      const sent = captureFetch(answer);
      const userId = await provision(org, `fails${i}@example.com`); // asserts 201
      const reissued = await admin("POST", `/orgs/${org.orgId}/users/${userId}/setup-link`, undefined, viaApp({ env: WEBHOOK }));
      expect(reissued.status).toBe(201);
      expect(sent).toHaveLength(2);
      vi.mocked(fetch).mockRestore();
    }
    const logged = errors.mock.calls.flat().join("\n");
    expect(logged).toMatch(/HTTP 500/);
    expect(logged).toMatch(/connection refused/);
    expect(logged).not.toMatch(/setup_[A-Za-z0-9_-]{43}/);
  });

  it("reissuing a link through the admin API sends the same link to the webhook", async () => {
    const sent = captureFetch();
    const org = await newScimOrg();
    const userId = await provision(org, "linus", ["linus@example.com"]);
    const orgId = org.orgId;
    const reissued = await admin("POST", `/orgs/${orgId}/users/${userId}/setup-link`, undefined, viaApp({ env: WEBHOOK }));
    expect(reissued.status).toBe(201);
    expect(sent).toHaveLength(1);
    const { valid, payload } = await verifySignature(sent[0], WEBHOOK.SETUP_WEBHOOK_SECRET);
    expect(valid).toBe(true);
    expect(payload).toMatchObject({ orgId, userId, userName: "linus", url: reissued.body.url, expiresAt: reissued.body.expiresAt });
    expect(payload.emails).toEqual([{ value: "linus@example.com", type: "work", primary: true }]);
  });
});

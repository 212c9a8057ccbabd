// The setup page's early link check (POST /api/v1/setup/check) and the operator's reset of a
// completed setup (POST /api/v1/orgs/{orgId}/users/{userId}/setup/reset).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, manualClock, request, viaApp, viaWorker, type Fetch } from "../support/helpers";
import {
  complete,
  issueLink,
  linkToken,
  myKeys,
  orgWithUsers,
  rowCount,
  sessionCookie,
  setActive,
  testBundle,
  tokenOf,
} from "../support/setup-helpers";

const DAY = 24 * 60 * 60 * 1000;

async function check(body: unknown, send: Fetch = viaWorker, contentType = "application/json") {
  const res = await send(
    new Request("https://scim.test/api/v1/setup/check", {
      method: "POST",
      headers: { "Content-Type": contentType },
      body: typeof body === "string" ? body : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

const reset = (orgId: string, userId: string, send: Fetch = viaWorker) =>
  admin("POST", `/orgs/${orgId}/users/${userId}/setup/reset`, undefined, send);

async function orgName(orgId: string) {
  return (await admin("GET", `/orgs/${orgId}`)).body.name as string;
}

describe("POST /api/v1/setup/check", () => {
  it("says a fresh link is valid and names the org, without using the link", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    for (let i = 0; i < 2; i++) {
      const res = await check({ token });
      expect(res.status).toBe(200);
      expect(res.headers.get("Cache-Control")).toBe("no-store");
      expect(res.body).toEqual({ state: "valid", orgName: await orgName(orgId), message: null });
    }
    expect(await rowCount("setup_links", "user_id = ? AND used_at IS NULL AND superseded_at IS NULL", userId)).toBe(1);
    expect((await complete(token, await testBundle())).status).toBe(200);
  });

  it("says at once that a link was used, and warns that someone else may have used it", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    expect((await complete(token, await testBundle())).status).toBe(200);
    const res = await check({ token });
    expect(res.body.state).toBe("used");
    expect(res.body.orgName).toBe(await orgName(orgId));
    expect(res.body.message).toMatch(/already been used/);
    expect(res.body.message).toMatch(/someone else may have/);
    expect(res.body.message).toMatch(/reset your setup/);
  });

  it("says a link was replaced by a newer one, or expired (injected clock)", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const { orgId, userIds: [userId] } = await orgWithUsers(1, send);
    const first = await linkToken(orgId, userId, send);
    const second = await linkToken(orgId, userId, send);
    expect((await check({ token: first }, send)).body).toMatchObject({ state: "superseded", message: expect.stringMatching(/replaced/) });
    expect((await check({ token: second }, send)).body.state).toBe("valid");
    time.advance(7 * DAY);
    expect((await check({ token: second }, send)).body).toMatchObject({ state: "expired", message: expect.stringMatching(/expired/) });
  });

  it("says a deactivated person's link cannot be used", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    await setActive(userId, false);
    expect((await check({ token })).body.state).toBe("deactivated");
  });

  it("answers unknown for a token it never issued, naming no org", async () => {
    const res = await check({ token: "setup_" + "A".repeat(43) });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ state: "unknown", orgName: null, message: expect.stringMatching(/not valid/) });
  });

  it("refuses malformed bodies with 400 or 413, never a 500", async () => {
    expect((await check({})).status).toBe(400);
    expect((await check({ token: "" })).status).toBe(400);
    expect((await check({ token: 42 })).status).toBe(400);
    expect((await check("{not json")).status).toBe(400);
    expect((await check({ token: "x".repeat(201) })).status).toBe(400);
    expect((await check({ token: "x".repeat(5000) })).status).toBe(413);
  });

  it("needs no operator credential, and a GET with the token in the URL is not a way to check", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    const res = await viaWorker(request("GET", `/api/v1/setup/check?token=${token}`));
    expect(res.status).not.toBe(200);
  });
});

describe("POST /api/v1/orgs/{orgId}/users/{userId}/setup/reset", () => {
  async function completedUser() {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    const done = await complete(token, await testBundle());
    expect(done.status).toBe(200);
    return { orgId, userId, token, sessionId: sessionCookie(done.headers) };
  }

  it("deletes the key bundle and every session, makes the person pending, and a new link works", async () => {
    const { orgId, userId, token, sessionId } = await completedUser();
    expect((await myKeys(sessionId)).status).toBe(200);

    const res = await reset(orgId, userId);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: userId, setupState: "pending" });
    expect(await rowCount("user_keys", "user_id = ?", userId)).toBe(0);
    expect(await rowCount("user_sessions", "user_id = ?", userId)).toBe(0);
    expect((await myKeys(sessionId)).status).toBe(401);
    // A change to the security model is always on the operator's trail.
    const trail = (await admin("GET", `/audit?orgId=${orgId}`)).body.entries;
    expect(trail.find((e: { action: string }) => e.action === "setup.reset")).toMatchObject({ target: { type: "user", id: userId } });

    // The old link stays dead; a new one completes setup with a new key.
    expect((await check({ token })).body.state).toBe("used");
    expect((await complete(token, await testBundle())).status).toBe(410);
    const fresh = tokenOf((await issueLink(orgId, userId)).body.url);
    expect((await complete(fresh, await testBundle())).status).toBe(200);
    expect((await admin("GET", `/orgs/${orgId}/users/${userId}`)).body.setupState).toBe("complete");
  });

  it("refuses a person who has not completed setup with 409, changing nothing (their sessions included)", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    await env.DB.prepare("INSERT INTO user_sessions (id_hash, org_id, user_id, created_at, expires_at) VALUES (?, ?, ?, 0, ?)")
      .bind("pending-session", orgId, userId, Date.now() + DAY)
      .run();
    const res = await reset(orgId, userId);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe("setup_not_complete");
    expect(await rowCount("user_sessions", "user_id = ?", userId)).toBe(1);
    expect(await rowCount("audit_log", "action = 'setup.reset' AND target_id = ?", userId)).toBe(0);
  });

  it("keeps orgs apart: another org's id for the user is a 404 and leaves their key alone", async () => {
    const { userId } = await completedUser();
    const other = await orgWithUsers();
    const res = await reset(other.orgId, userId);
    expect(res.status).toBe(404);
    expect(await rowCount("user_keys", "user_id = ?", userId)).toBe(1);
    expect((await reset(other.orgId, "no-such-user")).status).toBe(404);
    expect((await reset("no-such-org", userId)).status).toBe(404);
  });

  it("is the operator's: without a credential it is refused", async () => {
    const { orgId, userId } = await completedUser();
    const res = await viaWorker(request("POST", `/api/v1/orgs/${orgId}/users/${userId}/setup/reset`));
    expect(res.status).toBe(401);
    expect(await rowCount("user_keys", "user_id = ?", userId)).toBe(1);
  });
});

describe("POST …/setup-link?unlessLive=1 (the console asks before replacing a working link)", () => {
  const issueUnlessLive = (orgId: string, userId: string, send: Fetch = viaWorker) =>
    admin("POST", `/orgs/${orgId}/users/${userId}/setup-link?unlessLive=1`, undefined, send);

  it("issues when there is no working link, and refuses with 409 while one works, leaving it usable", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const { orgId, userIds: [userId] } = await orgWithUsers(1, send);
    const first = await issueUnlessLive(orgId, userId, send);
    expect(first.status).toBe(201);
    const again = await issueUnlessLive(orgId, userId, send);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: "live_link_exists", message: expect.stringContaining(first.body.expiresAt) });
    expect((await check({ token: tokenOf(first.body.url) }, send)).body.state).toBe("valid");

    // Once that link expired, a new one is issued without asking.
    time.advance(7 * DAY);
    expect((await issueUnlessLive(orgId, userId, send)).status).toBe(201);
  });

  it("still answers 409 setup_complete / 403 user_deactivated / 404 as without the flag, and 400 for a bad value", async () => {
    const { orgId, userIds: [done, off] } = await orgWithUsers(2);
    expect((await complete(await linkToken(orgId, done), await testBundle())).status).toBe(200);
    expect((await issueUnlessLive(orgId, done)).body.error.code).toBe("setup_complete");
    await setActive(off, false);
    expect((await issueUnlessLive(orgId, off)).status).toBe(403);
    expect((await issueUnlessLive(orgId, "nobody")).status).toBe(404);
    expect((await admin("POST", `/orgs/${orgId}/users/${off}/setup-link?unlessLive=yes`)).status).toBe(400);
  });
});

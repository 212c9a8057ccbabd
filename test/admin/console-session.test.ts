// Console sessions: sign-in/out, cookie authentication of /api/v1, CSRF and Origin checks on
// cookie-authenticated writes, expiry.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "../../src/lib/crypto";
import { admin, asConsole, consoleSignIn as signIn, manualClock, ORIGIN, request, viaApp, viaWorker } from "../support/helpers";

async function orgCount() {
  return (await env.DB.prepare("SELECT count(*) AS n FROM orgs").first<{ n: number }>())!.n;
}

describe("console sign-in and sign-out", () => {
  it("sets an HttpOnly, Secure, SameSite=Strict 12-hour cookie and stores only hashes", async () => {
    const res = await viaWorker(request("POST", "/api/v1/console/session", { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } }));
    expect(res.status).toBe(201);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
    const setCookie = res.headers.get("Set-Cookie")!;
    const attributes = setCookie.split(/;\s*/);
    expect(attributes).toEqual(expect.arrayContaining(["HttpOnly", "Secure", "SameSite=Strict", "Path=/", "Max-Age=43200"]));
    expect(setCookie).toMatch(/^edge_scim_console=[A-Za-z0-9_-]{43};/);
    expect(setCookie).not.toContain(env.ADMIN_TOKEN);
    const id = /^edge_scim_console=([^;]+)/.exec(setCookie)![1];
    const body = await res.json<any>();
    expect(body).toEqual({ csrfToken: expect.stringMatching(/^[0-9a-f]{64}$/), expiresAt: expect.any(String) });

    const row = await env.DB.prepare("SELECT * FROM console_sessions WHERE id_hash = ?").bind(await sha256Hex(id)).first();
    expect(row).toMatchObject({ csrf_hash: await sha256Hex(body.csrfToken) });
    const stored = JSON.stringify(await env.DB.prepare("SELECT * FROM console_sessions").all());
    for (const secret of [id, body.csrfToken, env.ADMIN_TOKEN]) expect(stored).not.toContain(secret);
  });

  it("needs the operator token itself: not a wrong one, and not a session", async () => {
    for (const headers of [{}, { Authorization: "Bearer wrong" }] as Record<string, string>[]) {
      const res = await viaWorker(request("POST", "/api/v1/console/session", { headers }));
      expect(res.status).toBe(401);
      expect(res.headers.get("Set-Cookie")).toBeNull();
    }
    const session = await signIn();
    const renewed = await viaWorker(asConsole(session, "POST", "/api/v1/console/session", { csrf: session.csrfToken }));
    expect(renewed.status).toBe(401);
    expect(renewed.headers.get("Set-Cookie")).toBeNull();
  });

  it("signing out deletes the session; its cookie and CSRF token stop working", async () => {
    const session = await signIn();
    const refused = await viaWorker(asConsole(session, "DELETE", "/api/v1/console/session"));
    expect(refused.status).toBe(403);
    expect((await viaWorker(asConsole(session, "GET", "/api/v1/orgs"))).status).toBe(200);

    const out = await viaWorker(asConsole(session, "DELETE", "/api/v1/console/session", { csrf: session.csrfToken }));
    expect(out.status).toBe(204);
    expect(out.headers.get("Set-Cookie")).toMatch(/^edge_scim_console=; Max-Age=0;/);
    expect(await env.DB.prepare("SELECT 1 FROM console_sessions WHERE id_hash = ?").bind(await sha256Hex(session.id)).first()).toBeNull();
    expect((await viaWorker(asConsole(session, "GET", "/api/v1/orgs"))).status).toBe(401);
    const write = await viaWorker(asConsole(session, "POST", "/api/v1/orgs", { body: { name: "After" }, csrf: session.csrfToken }));
    expect(write.status).toBe(401);
    const page = await viaWorker(new Request(`${ORIGIN}/admin`, { headers: { Cookie: session.cookie }, redirect: "manual" }));
    expect(page.status).toBe(303);
  });

  it("expires after 12 hours", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const session = await signIn(send);
    time.advance(12 * 3600_000 - 1);
    expect((await send(asConsole(session, "GET", "/api/v1/orgs"))).status).toBe(200);
    time.advance(1);
    expect((await send(asConsole(session, "GET", "/api/v1/orgs"))).status).toBe(401);
    const page = await send(new Request(`${ORIGIN}/admin`, { headers: { Cookie: session.cookie }, redirect: "manual" }));
    expect(page.status).toBe(303);
  });

  it("stops working when ADMIN_TOKEN is removed", async () => {
    const session = await signIn();
    const send = viaApp({ env: { ADMIN_TOKEN: "" } });
    const res = await send(asConsole(session, "GET", "/api/v1/orgs"));
    expect(res.status).toBe(401);
    expect((await res.json<any>()).error.message).toMatch(/ADMIN_TOKEN/);
    const page = await send(new Request(`${ORIGIN}/admin`, { headers: { Cookie: session.cookie }, redirect: "manual" }));
    expect(page.status).toBe(303);
  });
});

describe("cookie-authenticated admin API", () => {
  it("reads with the cookie alone", async () => {
    const session = await signIn();
    const res = await viaWorker(asConsole(session, "GET", "/api/v1/orgs", { origin: null }));
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toBe("no-store");
  });

  it("writes only with the session's X-CSRF-Token and a same-origin Origin", async () => {
    const session = await signIn();
    const other = await signIn();
    const before = await orgCount();
    const attempts: [string, Parameters<typeof asConsole>[3], string][] = [
      ["no CSRF token", {}, "csrf_failed"],
      ["wrong CSRF token", { csrf: "0".repeat(64) }, "csrf_failed"],
      ["another session's CSRF token", { csrf: other.csrfToken }, "csrf_failed"],
      ["the session id as CSRF token", { csrf: session.id }, "csrf_failed"],
      ["no Origin", { csrf: session.csrfToken, origin: null }, "origin_mismatch"],
      ["a foreign Origin", { csrf: session.csrfToken, origin: "https://evil.example" }, "origin_mismatch"],
      ["a sibling Origin", { csrf: session.csrfToken, origin: "https://scim.test.evil.example" }, "origin_mismatch"],
      ["the null Origin", { csrf: session.csrfToken, origin: "null" }, "origin_mismatch"],
    ];
    for (const [what, options, code] of attempts) {
      const res = await viaWorker(asConsole(session, "POST", "/api/v1/orgs", { body: { name: "Refused" }, ...options }));
      expect(res.status, what).toBe(403);
      expect((await res.json<any>()).error.code, what).toBe(code);
    }
    for (const method of ["PATCH", "DELETE"]) {
      const res = await viaWorker(asConsole(session, method, "/api/v1/orgs/x/scim", { body: { enabled: true } }));
      expect(res.status, method).toBe(403);
    }
    expect(await orgCount()).toBe(before);

    const ok = await viaWorker(asConsole(session, "POST", "/api/v1/orgs", { body: { name: "Accepted" }, csrf: session.csrfToken }));
    expect(ok.status).toBe(201);
  });

  it("accepts the configured public origin", async () => {
    const send = viaApp({ env: { PUBLIC_ORIGIN: "https://id.example.com" } });
    const session = await signIn(send);
    const res = await send(
      asConsole(session, "POST", "/api/v1/orgs", { body: { name: "Custom" }, csrf: session.csrfToken, origin: "https://id.example.com" }),
    );
    expect(res.status).toBe(201);
  });

  it("does not ask bearer requests for a CSRF token or an Origin", async () => {
    const created = await admin("POST", "/orgs", { name: "Bearer" });
    expect(created.status).toBe(201);
  });
});

// Issue 16, the operator's trail: every admin write is recorded with time, action, target and actor
// (a stable non-secret id of the credential, IP and User-Agent); GET /audit pages it newest first. It
// is append-only through the API, and the database itself refuses to change or drop rows under a year old.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { sha256Hex } from "../../src/lib/crypto";
import { runMaintenance } from "../../src/scheduled";
import { ADMIN_HEADERS, admin, asConsole, consoleSignIn, ORIGIN, viaApp } from "../support/helpers";
import { seedUsers } from "../support/seed";

const send = viaApp({ env: { SETUP_WEBHOOK_URL: "" } });
const CLIENT = { "CF-Connecting-IP": "203.0.113.7", "User-Agent": "audit-test/1.0" };

async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const res = await send(
    new Request(`${ORIGIN}/api/v1${path}`, {
      method,
      headers: { ...ADMIN_HEADERS, ...CLIENT, ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

async function trail(query: string) {
  const res = await admin("GET", `/audit${query}`, undefined, send);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { entries: any[]; nextCursor: string | null };
}

describe("the audit trail", () => {
  it("records every admin write with action, target and actor, newest first, and nothing for refused ones", async () => {
    const operatorId = (await sha256Hex(env.ADMIN_TOKEN)).slice(0, 12);
    const org = (await call("POST", "/orgs", { name: "Audited" })).body;
    const orgId = org.id as string;
    await call("PATCH", `/orgs/${orgId}/scim`, { enabled: true });
    const token = (await call("POST", `/orgs/${orgId}/scim/tokens`, { description: "Okta", ttlDays: 30 })).body;
    const rotated = (await call("POST", `/orgs/${orgId}/scim/tokens/${token.id}/rotate`, { graceHours: 2 })).body;
    await call("DELETE", `/orgs/${orgId}/scim/tokens/${rotated.id}`);
    const [userId] = await seedUsers(orgId, 1);
    const link = (await call("POST", `/orgs/${orgId}/users/${userId}/setup-link`)).body;
    await call("PATCH", `/orgs/${orgId}/scim`, { enabled: false });

    // Refused writes leave no trace.
    expect((await call("POST", `/orgs/${orgId}/scim/tokens`, { description: "" })).status).toBe(400);
    expect((await call("POST", `/orgs/${orgId}/scim/tokens/${token.id}/rotate`, { graceHours: 1 })).status).toBe(409);
    expect((await call("PATCH", `/orgs/${crypto.randomUUID()}/scim`, { enabled: true })).status).toBe(404);
    expect((await call("GET", `/orgs/${orgId}/scim/tokens`)).status).toBe(200); // reads are not writes

    const { entries } = await trail(`?orgId=${orgId}`);
    expect(entries.map((e) => e.action)).toEqual([
      "scim.disabled",
      "setup_link.issued",
      "token.revoked",
      "token.rotated",
      "token.created",
      "scim.enabled",
      "org.created",
    ]);
    for (const e of entries) {
      expect(e.orgId).toBe(orgId);
      expect(e.actor).toEqual({ kind: "operator_token", id: operatorId, ip: "203.0.113.7", userAgent: "audit-test/1.0" });
      expect(Date.parse(e.at)).not.toBeNaN();
    }
    expect(entries.find((e) => e.action === "org.created").target).toEqual({ type: "org", id: orgId });
    expect(entries.find((e) => e.action === "token.created").target).toEqual({ type: "scim_token", id: token.id });
    expect(entries.find((e) => e.action === "token.rotated")).toMatchObject({
      target: { type: "scim_token", id: token.id },
      detail: { replacedBy: rotated.id, graceHours: 2 },
    });
    expect(entries.find((e) => e.action === "setup_link.issued").target).toEqual({ type: "user", id: userId });
    // Secrets never enter the trail.
    const text = JSON.stringify(entries);
    for (const secret of [token.token, rotated.token, link.url, env.ADMIN_TOKEN]) expect(text).not.toContain(secret);
  });

  it("names the console session that acted, and records sign-in and sign-out", async () => {
    const session = await consoleSignIn(send);
    const sessionId = (await sha256Hex(session.id)).slice(0, 12);
    const created = await send(asConsole(session, "POST", "/api/v1/orgs", { body: { name: "By console" }, csrf: session.csrfToken }));
    const orgId = ((await created.json()) as any).id;
    expect((await send(asConsole(session, "DELETE", "/api/v1/console/session", { csrf: session.csrfToken }))).status).toBe(204);

    const { entries } = await trail("?limit=200");
    const signIn = entries.find((e) => e.action === "console.signed_in" && e.target.id === sessionId);
    expect(signIn).toMatchObject({ orgId: null, target: { type: "console_session", id: sessionId }, actor: { kind: "operator_token" } });
    const byConsole = entries.find((e) => e.action === "org.created" && e.orgId === orgId);
    expect(byConsole.actor).toMatchObject({ kind: "console_session", id: sessionId });
    const signOut = entries.find((e) => e.action === "console.signed_out" && e.target.id === sessionId);
    expect(signOut.actor).toMatchObject({ kind: "console_session", id: sessionId });
    expect(entries.indexOf(signOut)).toBeLessThan(entries.indexOf(byConsole));
    expect(entries.indexOf(byConsole)).toBeLessThan(entries.indexOf(signIn));
    expect(JSON.stringify(entries)).not.toContain(session.id);
    expect(JSON.stringify(entries)).not.toContain(session.csrfToken);
  });

  it("pages newest first with a cursor, keeps organizations apart, and refuses bad parameters", async () => {
    const a = (await call("POST", "/orgs", { name: "A" })).body.id;
    const b = (await call("POST", "/orgs", { name: "B" })).body.id;
    for (let i = 0; i < 3; i++) await call("PATCH", `/orgs/${a}/scim`, { enabled: i % 2 === 0 });
    const first = await trail(`?orgId=${a}&limit=2`);
    expect(first.entries.map((e) => e.action)).toEqual(["scim.enabled", "scim.disabled"]);
    const second = await trail(`?orgId=${a}&limit=2&cursor=${first.nextCursor}`);
    expect(second.entries.map((e) => e.action)).toEqual(["scim.enabled", "org.created"]);
    expect(second.nextCursor).toBeNull();
    expect(first.entries[0].id).toBeGreaterThan(second.entries[1].id);
    expect((await trail(`?orgId=${b}`)).entries.map((e) => e.action)).toEqual(["org.created"]);

    for (const query of ["?cursor=nope", "?limit=0", "?limit=201", `?orgId=${"x".repeat(300)}`]) {
      expect((await admin("GET", `/audit${query}`, undefined, send)).status, query).toBe(400);
    }
    expect((await admin("GET", "/audit", undefined, send)).status).toBe(200);
    expect((await send(new Request(`${ORIGIN}/api/v1/audit`))).status).toBe(401);
  });

  it("is append-only: no API changes it, and the database refuses to change or drop rows under a year old", async () => {
    const orgId = (await call("POST", "/orgs", { name: "Kept" })).body.id;
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect((await admin(method, "/audit", {}, send)).status, method).toBe(404);
    }
    const row = await env.DB.prepare("SELECT id, at FROM audit_log WHERE org_id = ?").bind(orgId).first<{ id: number; at: number }>();
    await expect(env.DB.prepare("UPDATE audit_log SET action = 'x' WHERE id = ?").bind(row!.id).run()).rejects.toThrow(/append-only/);
    await expect(env.DB.prepare("DELETE FROM audit_log WHERE id = ?").bind(row!.id).run()).rejects.toThrow(/at least a year/);

    // Retention: the hourly job removes only rows older than 400 days.
    const day = 86_400_000;
    const now = Date.now();
    const insert = env.DB.prepare(
      `INSERT INTO audit_log (at, action, org_id, target_type, target_id, actor_kind, actor_id) VALUES (?, 'org.created', ?, 'org', ?, 'operator_token', 'x')`,
    );
    await env.DB.batch([insert.bind(now - 401 * day, orgId, "old"), insert.bind(now - 366 * day, orgId, "kept")]);
    const result = await runMaintenance(database(env.DB), now);
    expect(result.auditEntries).toBeGreaterThanOrEqual(1);
    const left = await env.DB.prepare("SELECT target_id FROM audit_log WHERE org_id = ? ORDER BY id").bind(orgId).all<{ target_id: string }>();
    expect(left.results.map((r) => r.target_id)).toEqual([orgId, "kept"]);
  });

  it("is shown by the console: a page for the whole service and one per organization", async () => {
    const session = await consoleSignIn(send);
    const orgId = (await call("POST", "/orgs", { name: "Paged" })).body.id;
    const page = (path: string) => send(new Request(`${ORIGIN}${path}`, { headers: { Cookie: session.cookie } }));
    for (const path of ["/admin/audit", `/admin/orgs/${orgId}/audit`]) {
      const res = await page(path);
      expect(res.status, path).toBe(200);
      const html = await res.text();
      expect(html).toContain('id="audit-table"');
      expect(html).toContain("/admin/assets/audit.js");
    }
    expect(await (await page(`/admin/orgs/${orgId}/audit`)).text()).toContain(`data-org-id="${orgId}"`);
    expect((await page(`/admin/orgs/${crypto.randomUUID()}/audit`)).status).toBe(404);
    expect((await page("/admin/assets/audit.js")).status).toBe(200);
  });
});

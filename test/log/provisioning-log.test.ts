// The provisioning log: what is and is not recorded, the log API (paging, filters, isolation), and
// that entries are written after the response.
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Hono } from "hono";
import { createApp } from "../../src/app";
import { database } from "../../src/db/client";
import type { AppEnv } from "../../src/routes/context";
import { encodeCursor } from "../../src/routes/api/paging";
import { renderError } from "../../src/routes/errors";
import { identifyScimCaller, scimAuth } from "../../src/routes/middleware/scim-caller";
import { readJsonObject } from "../../src/routes/scim/body";
import { provisioningLog } from "../../src/routes/middleware/provisioning-log";
import { admin, countingD1, manualClock, newScimOrg, request, scimClient, viaApp, type ScimClient } from "../support/helpers";
import { instrumentedLogs, rawLogRows } from "../support/log-helpers";

// viaApp waits for ctx.waitUntil, so an entry is in the org's log when the call returns.
const send = viaApp();

async function logOf(orgId: string, query = "", via = send) {
  const res = await admin("GET", `/orgs/${orgId}/scim/log${query}`, undefined, via);
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body as { entries: any[]; nextCursor: string | null };
}

/** The org's stored entries, oldest first, as its log object keeps them. */
const rawRows = rawLogRows;

async function unknownTokenCount() {
  const row = await env.DB.prepare("SELECT value FROM counters WHERE name = 'scim.unknown_token'").first<{ value: number }>();
  return row?.value ?? 0;
}

/** A well-formed token that no org has. */
const UNKNOWN_TOKEN = `scim_${"A".repeat(43)}`;

describe("provisioning log: what is recorded", () => {
  it("records accepted and refused requests with exactly what the client was answered", async () => {
    const org = await newScimOrg({ send });
    const calls: [string, string, unknown?, Record<string, string>?][] = [
      ["GET", "/ServiceProviderConfig"],
      ["GET", "/Nope"],
      ["POST", "/ServiceProviderConfig", {}],
      ["GET", "/Me"],
      ["POST", "/Bulk", "x".repeat(1024 * 1024 + 1)],
      ["PATCH", "/Nope", "{not json"],
      ["PATCH", "/Nope", { schemas: [], Operations: [{ op: "Replace", path: "active", value: "False" }] }],
    ];
    const answers: Awaited<ReturnType<ScimClient["call"]>>[] = [];
    for (const [method, path, body, headers] of calls) answers.push(await org.call(method, path, body, headers));
    expect(answers.map((a) => a.status)).toEqual([200, 404, 405, 501, 413, 404, 404]);

    const { entries } = await logOf(org.orgId);
    expect(entries).toHaveLength(calls.length);
    const oldestFirst = [...entries].reverse();
    oldestFirst.forEach((entry, i) => {
      const [method, path] = calls[i];
      const answer = answers[i];
      expect(entry).toMatchObject({
        method,
        path: `/scim/v2${path}`,
        status: answer.status,
        detail: answer.status >= 400 ? answer.body.detail : null,
        scimType: answer.body?.scimType ?? null,
        tokenId: org.tokenId,
        tokenDescription: "test",
      });
      expect(entry.at).toMatch(/^\d{4}-\d\d-\d\dT/);
      expect(entry.durationMs).toBeGreaterThanOrEqual(0);
    });
    // A malformed PATCH body is logged without ops; a well-formed one with its op/path list only.
    expect(oldestFirst[5].operations).toBeNull();
    expect(oldestFirst[6].operations).toEqual({ count: 1, items: [{ op: "Replace", path: "active" }] });
    expect(oldestFirst[1].detail).toBe("No SCIM endpoint at /scim/v2/Nope");
  });

  it("records revoked and expired tokens and SCIM-off 403s, naming the token", async () => {
    const time = manualClock();
    const via = viaApp({ clock: time.clock });
    const org = await newScimOrg({ send: via });
    const shortLived = (await admin("POST", `/orgs/${org.orgId}/scim/tokens`, { description: "Okta", ttlDays: 1 }, via)).body;
    const okta = scimClient(org.orgId, shortLived.token, shortLived.id, shortLived.scimUrl, via);

    await admin("PATCH", `/orgs/${org.orgId}/scim`, { enabled: false }, via);
    const off = await org.call("GET", "/Me");
    await admin("PATCH", `/orgs/${org.orgId}/scim`, { enabled: true }, via);
    time.advance(86_400_000);
    const expired = await okta.call("GET", "/Me");
    await admin("DELETE", `/orgs/${org.orgId}/scim/tokens/${org.tokenId}`, undefined, via);
    const revoked = await org.call("GET", "/Me");
    expect([off.status, expired.status, revoked.status]).toEqual([403, 401, 401]);

    const { entries } = await logOf(org.orgId, "", via);
    expect(entries.map((e) => [e.status, e.detail, e.tokenId, e.tokenDescription])).toEqual([
      [401, revoked.body.detail, org.tokenId, "test"],
      [401, expired.body.detail, okta.tokenId, "Okta"],
      [403, off.body.detail, org.tokenId, "test"],
    ]);
    expect(revoked.body.detail).toMatch(/revoked/);
    expect(expired.body.detail).toMatch(/expired/);
  });

  it("does not log requests without a token, and counts unknown tokens without logging them", async () => {
    // Every log write goes to some organization's log object: none may be called.
    const logs = instrumentedLogs();
    const watched = viaApp({ env: { PROVISIONING_LOG: logs.binding } });
    const countBefore = await unknownTokenCount();
    const anonymous = await watched(request("GET", "/scim/v2/ServiceProviderConfig"));
    expect(anonymous.status).toBe(200);
    const unknown = scimClient("none", UNKNOWN_TOKEN, "none", "", watched);
    expect((await unknown.call("GET", "/Users")).status).toBe(401);
    expect((await unknown.call("GET", "/ServiceProviderConfig")).status).toBe(200);
    const garbage = scimClient("none", "not-a-scim-token", "none", "", watched);
    expect((await garbage.call("GET", "/Groups")).status).toBe(401);

    expect(logs.calls).toEqual([]);
    expect(await unknownTokenCount()).toBe(countBefore + 3);
    const counters = (await admin("GET", "/counters", undefined, send)).body.counters;
    expect(counters).toContainEqual({ name: "scim.unknown_token", value: countBefore + 3, updatedAt: expect.any(String) });
  });

  it("never stores the Authorization header, a body, a password or key material", async () => {
    const org = await newScimOrg({ send });
    const password = "Sup3r-Secret-Passw0rd!";
    await org.call("PATCH", "/Nope", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "replace", value: { password, active: false } }],
    });
    await org.call("POST", "/Bulk", {
      Operations: [
        { method: "POST", data: { userName: "x", password } },
        { method: "POST", path: "/Users", bulkId: "b", data: { userName: "x", password } },
      ],
    });
    await org.call("PATCH", "/Nope", `{"password": "${password}", broken`);
    await org.call("GET", "/Nope?access_token=query-secret-value&filter=userName%20eq%20%22a%22");

    const rows = await rawRows(org.orgId);
    expect(rows).toHaveLength(4);
    const stored = JSON.stringify(rows);
    for (const secret of [org.token, password, "query-secret-value", "Bearer", "broken", "userName\\\":\\\"x"]) {
      expect(stored).not.toContain(secret);
    }
    expect(rows[3].query).toBe('access_token=[redacted]&filter=userName eq "a"');
    expect(JSON.parse(rows[0].ops as string)).toEqual({ count: 1, items: [{ op: "replace", attributes: ["password", "active"] }] });
  });

  it("truncates the filter to 200 characters and the User-Agent", async () => {
    const org = await newScimOrg({ send });
    const filter = `userName eq "${"a".repeat(500)}"`;
    await org.call("GET", `/Nope?filter=${encodeURIComponent(filter)}&count=10`, undefined, { "User-Agent": "U".repeat(1000) });
    const [entry] = (await logOf(org.orgId)).entries;
    expect(entry.query).toBe(`filter=${filter.slice(0, 199)}…&count=10`);
    expect(entry.userAgent).toHaveLength(200);
  });

  it("logs a malformed body with the detail the client got, which quotes no part of the body", async () => {
    const org = await newScimOrg({ send });
    // /Users is not on this branch: an endpoint that reads a JSON body the way resources do.
    const app = new Hono<AppEnv>()
      .use(async (c, next) => {
        c.set("clock", Date.now);
        c.set("db", database(c.env.DB));
        await next();
      })
      .use("/scim/v2/*", provisioningLog, identifyScimCaller, scimAuth)
      .post("/scim/v2/Echo", async (c) => c.json(await readJsonObject(c)));
    app.onError(renderError);
    const ctx = createExecutionContext();
    const res = await app.fetch(
      request("POST", "/scim/v2/Echo", {
        body: "pw=hunter2",
        headers: { Authorization: `Bearer ${org.token}`, "Content-Type": "application/scim+json" },
      }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    const answer = await res.json<any>();
    expect(res.status).toBe(400);
    expect(answer).toMatchObject({ scimType: "invalidSyntax", detail: "The request body is not valid JSON" });
    const [row] = await rawRows(org.orgId);
    expect(row).toMatchObject({ status: 400, scim_type: "invalidSyntax", detail: answer.detail, ops: null });
    expect(JSON.stringify(row)).not.toContain("hunter2");
  });

  it("labels the identity provider from its headers, else with the token's description", async () => {
    const org = await newScimOrg({ send });
    await org.call("GET", "/ServiceProviderConfig", undefined, { "User-Agent": "Okta SCIM Client 1.0.0" });
    await org.call("GET", "/ServiceProviderConfig", undefined, { Adscimversion: "2.0", "User-Agent": "Go-http-client/2.0" });
    await org.call("GET", "/ServiceProviderConfig", undefined, { "User-Agent": "Go-http-client/2.0" });
    const { entries } = await logOf(org.orgId);
    expect(entries.map((e) => e.idp)).toEqual(["test", "Microsoft Entra ID", "Okta"]);
  });

  it("writes the entry after the response, never on its path", async () => {
    const gate = instrumentedLogs({ holdAppends: true });
    const org = await newScimOrg({ send });
    const app = createApp();
    const ctx = createExecutionContext();
    const res = await app.fetch(
      request("GET", "/scim/v2/ServiceProviderConfig", { headers: { Authorization: `Bearer ${org.token}` } }),
      { ...env, PROVISIONING_LOG: gate.binding },
      ctx,
    );
    // The response is complete while the log write is still held back.
    expect(res.status).toBe(200);
    await res.text();
    expect(gate.held()).toBe(1);
    expect(await rawRows(org.orgId)).toHaveLength(0);
    gate.open();
    await waitOnExecutionContext(ctx);
    expect(await rawRows(org.orgId)).toHaveLength(1);
  });
});

describe("provisioning log writes under load", () => {
  it("shares one call to the org's log among the entries of concurrent requests, losing none", async () => {
    const gate = instrumentedLogs({ holdAppends: true });
    const org = await newScimOrg({ send });
    const app = createApp();
    const contexts = Array.from({ length: 20 }, () => createExecutionContext());
    // While the first entry's write is held, the other 19 requests finish and queue their entries.
    const responses = await Promise.all(
      contexts.map((ctx) =>
        app.fetch(
          request("GET", "/scim/v2/Users", { headers: { Authorization: `Bearer ${org.token}` } }),
          { ...env, PROVISIONING_LOG: gate.binding },
          ctx,
        ),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(20).fill(200));
    expect(gate.held()).toBe(1);
    gate.open();
    await Promise.all(contexts.map((ctx) => waitOnExecutionContext(ctx)));
    expect(await rawRows(org.orgId)).toHaveLength(20);
    // the held one, then the other 19 together
    expect(gate.appends()).toEqual([
      { method: "append", name: org.orgId, entries: 1 },
      { method: "append", name: org.orgId, entries: 19 },
    ]);
  });
});

describe("provisioning log API", () => {
  async function orgWithRequests(paths: string[]): Promise<ScimClient> {
    const org = await newScimOrg({ send });
    for (const path of paths) await org.call("GET", path);
    return org;
  }

  it("pages newest first with a keyset cursor, one fixed set of statements per page", async () => {
    const org = await orgWithRequests(["/Schemas", "/Nope1", "/ResourceTypes", "/Nope2", "/ServiceProviderConfig"]);
    const counting = countingD1(env.DB, { ignore: null });
    const logs = instrumentedLogs();
    const via = viaApp({ env: { DB: counting.d1, PROVISIONING_LOG: logs.binding } });
    const pages: any[][] = [];
    const statements: number[] = [];
    const logCalls: number[] = [];
    let cursor: string | null = null;
    do {
      counting.reset();
      logs.reset();
      const page = await logOf(org.orgId, `?limit=2${cursor ? `&cursor=${cursor}` : ""}`, via);
      statements.push(counting.log.statements.length);
      logCalls.push(logs.calls.length);
      pages.push(page.entries);
      cursor = page.nextCursor;
    } while (cursor);
    expect(pages.map((p) => p.map((e) => e.path.replace("/scim/v2/", "")))).toEqual([
      ["ServiceProviderConfig", "Nope2"],
      ["ResourceTypes", "Nope1"],
      ["Schemas"],
    ]);
    const ids = pages.flat().map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => b - a));
    // D1: the org check and the token descriptions; the page itself is one call to the org's log object.
    expect(new Set(statements)).toEqual(new Set([2]));
    expect(new Set(logCalls)).toEqual(new Set([1]));
  });

  it("filters by status class", async () => {
    const org = await orgWithRequests(["/Schemas", "/Nope1", "/Me", "/Nope2"]);
    const paths = async (status: string) =>
      (await logOf(org.orgId, `?status=${status}`)).entries.map((e) => `${e.status} ${e.path.replace("/scim/v2/", "")}`);
    expect(await paths("4xx")).toEqual(["404 Nope2", "404 Nope1"]);
    expect(await paths("2xx")).toEqual(["200 Schemas"]);
    expect(await paths("5xx")).toEqual(["501 Me"]);
    const cursor = (await logOf(org.orgId, "?status=4xx&limit=1")).nextCursor;
    expect((await logOf(org.orgId, `?status=4xx&cursor=${cursor}`)).entries.map((e) => e.path)).toEqual(["/scim/v2/Nope1"]);
  });

  it("answers 400 for a bad status, cursor or limit and 404 for an unknown org", async () => {
    const org = await newScimOrg({ send });
    for (const [query, field] of [
      ["?status=3xx", "status"],
      ["?status=4XX", "status"],
      ["?cursor=abc", "cursor"],
      ["?cursor=-1", "cursor"],
      ["?limit=0", "limit"],
      ["?limit=201", "limit"],
    ]) {
      const res = await admin("GET", `/orgs/${org.orgId}/scim/log${query}`);
      expect(res.status, query).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_request", field });
    }
    const unknown = await admin("GET", "/orgs/no-such-org/scim/log");
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe("not_found");
  });

  it("never shows one org's entries in another's log", async () => {
    const a = await orgWithRequests(["/Schemas", "/NopeA"]);
    const b = await orgWithRequests(["/ResourceTypes", "/NopeB"]);
    await a.call("GET", "/NopeA2");
    const logA = await logOf(a.orgId);
    const logB = await logOf(b.orgId);
    expect(logA.entries.map((e) => e.tokenId)).toEqual([a.tokenId, a.tokenId, a.tokenId]);
    expect(logB.entries.map((e) => e.path)).toEqual(["/scim/v2/NopeB", "/scim/v2/ResourceTypes"]);
    // A cursor from above every id (A's newest) still yields B's entries only.
    const fromA = encodeCursor(String(logA.entries[0].id + 1));
    expect((await logOf(b.orgId, `?cursor=${fromA}`)).entries.map((e) => e.tokenId)).toEqual([b.tokenId, b.tokenId]);
  });
});

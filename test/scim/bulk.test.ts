/**
 * POST /Bulk (RFC 7644 §3.7) through the whole stack: every method on Users and Groups, bulkId
 * references in every order, unresolvable and circular references, failOnErrors, version as
 * If-Match, the BulkResponse, the 413 limits, isolation between organizations, the provisioning log
 * and setup links of users created in bulk.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { orgWriter } from "../../src/org-writer/client";
import type { OrgWriter } from "../../src/org-writer/writer";
import { afterEach, describe, expect, it, vi } from "vitest";
import { expectScimError, newScimOrg, viaApp, type ScimClient } from "../support/helpers";
import { rawLogRows } from "../support/log-helpers";
import { GROUP, groupRows, memberValues } from "../support/group-helpers";
import { CORE, ENT, patchBody, userRows } from "../support/user-helpers";

const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
const BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

type Op = Record<string, unknown>;

function bulk(org: ScimClient, Operations: Op[], extra: Record<string, unknown> = {}) {
  return org.call("POST", "/Bulk", { schemas: [BULK_REQUEST], ...extra, Operations });
}

const user = (bulkId: string, body: Record<string, unknown>): Op => ({ method: "POST", path: "/Users", bulkId, data: { schemas: [CORE], ...body } });
const group = (bulkId: string, body: Record<string, unknown>): Op => ({ method: "POST", path: "/Groups", bulkId, data: { schemas: [GROUP], ...body } });

/** The org's users and groups by name, with members by userName: to compare states whatever the ids. */
async function snapshot(org: ScimClient) {
  const users = (await org.call("GET", "/Users?count=200&sortBy=userName")).body.Resources;
  const groups = (await org.call("GET", "/Groups?count=200&sortBy=displayName")).body.Resources;
  const nameOf = new Map(users.map((u: any) => [u.id, u.userName]));
  return {
    users: users.map((u: any) => ({ userName: u.userName, displayName: u.displayName, version: u.meta.version, manager: u[ENT]?.manager?.value ? nameOf.get(u[ENT].manager.value) : undefined })),
    groups: groups.map((g: any) => ({ displayName: g.displayName, version: g.meta.version, members: g.members.map((m: any) => nameOf.get(m.value)).sort() })),
  };
}

describe("POST /Bulk", () => {
  it("runs POST, PUT, PATCH and DELETE on Users and Groups and answers each as RFC 7644 §3.7.3 shows", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const created = await bulk(org, [
      user("alice", { userName: "alice", emails: [{ value: "alice@x", primary: true }] }),
      user("bob", { userName: "bob" }),
      group("team", { displayName: "Team", members: [{ value: "bulkId:alice" }] }),
    ]);
    expect(created.status).toBe(200);
    expect(created.headers.get("Content-Type")).toBe("application/scim+json");
    expect(created.body.schemas).toEqual([BULK_RESPONSE]);
    const [alice, bob, team] = created.body.Operations;
    expect(alice).toEqual({
      location: expect.stringMatching(/^https:\/\/scim\.test\/scim\/v2\/Users\/[0-9a-f-]{36}$/),
      method: "POST",
      bulkId: "alice",
      version: 'W/"1"',
      status: "201",
    });
    expect(team).toMatchObject({ method: "POST", bulkId: "team", status: "201", location: expect.stringContaining("/Groups/") });
    const id = (op: { location: string }) => op.location.split("/").pop()!;
    expect(await memberValues(org, id(team))).toEqual([id(alice)]);
    expect((await org.call("GET", `/Users/${id(alice)}`)).body.emails).toEqual([{ value: "alice@x", primary: true }]);

    const changed = await bulk(org, [
      { method: "PUT", path: `/Users/${id(bob)}`, data: { userName: "bob", displayName: "Bob" } },
      { method: "PATCH", path: `/Users/${id(alice)}`, data: patchBody({ op: "replace", path: "active", value: false }) },
      { method: "PATCH", path: `/Groups/${id(team)}`, data: patchBody({ op: "add", path: "members", value: [{ value: id(bob) }] }) },
      { method: "PUT", path: `/Groups/${id(team)}`, version: 'W/"2"', data: { displayName: "Team A", members: [{ value: id(bob) }] } },
    ]);
    expect(changed.body.Operations.map((o: any) => [o.method, o.status, o.version])).toEqual([
      ["PUT", "200", 'W/"2"'],
      ["PATCH", "200", 'W/"2"'],
      ["PATCH", "204", 'W/"2"'],
      ["PUT", "200", 'W/"3"'],
    ]);
    expect((await org.call("GET", `/Users/${id(bob)}`)).body.displayName).toBe("Bob");
    expect((await org.call("GET", `/Users/${id(alice)}`)).body.active).toBe(false);
    const teamNow = await org.call("GET", `/Groups/${id(team)}`);
    expect(teamNow.body.displayName).toBe("Team A");
    expect(teamNow.body.members.map((m: any) => m.value)).toEqual([id(bob)]);
    expect(teamNow.body.meta.version).toBe('W/"3"');

    const deleted = await bulk(org, [
      { method: "DELETE", path: `/Users/${id(bob)}` },
      { method: "DELETE", path: `/Groups/${id(team)}` },
      { method: "DELETE", path: `/Users/${id(bob)}` },
    ]);
    expect(deleted.body.Operations.map((o: any) => [o.method, o.status, o.location])).toEqual([
      ["DELETE", "204", bob.location],
      ["DELETE", "204", team.location],
      ["DELETE", "404", bob.location],
    ]);
    expectScimError({ status: 404, headers: created.headers, body: deleted.body.Operations[2].response }, 404);
    expect((await org.call("GET", `/Users/${id(bob)}`)).status).toBe(404);
    expect((await org.call("GET", `/Groups/${id(team)}`)).status).toBe(404);
    expect((await org.call("GET", "/Users")).body.totalResults).toBe(1);
  });

  it("answers each failed operation with its single form's error, and applies the others", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const taken = (await org.call("POST", "/Users", { userName: "taken" })).body;
    const res = await bulk(org, [
      user("dup", { userName: "TAKEN" }),
      user("nameless", { displayName: "no userName" }),
      { method: "PATCH", path: `/Users/${taken.id}`, data: patchBody({ op: "replace", path: "nope", value: 1 }) },
      { method: "PUT", path: "/Users/no-such-id", data: { userName: "x" } },
      group("g", { displayName: "G", members: [{ value: "no-such-user" }] }),
      { method: "PATCH", path: `/Users/${taken.id}`, version: 'W/"9"', data: patchBody({ op: "replace", path: "displayName", value: "x" }) },
      user("ok", { userName: "fine" }),
      "not an operation" as unknown as Op,
      { method: "GET", path: "/Users" },
      { method: "POST", path: "/Users" },
      { method: "POST", path: "/Users", data: { userName: "no bulkId" } },
      { method: "POST", path: "/Users/x", bulkId: "x", data: { userName: "x" } },
      { method: "DELETE", path: "/Me/x" },
      { method: "PATCH", path: "/Groups/x" },
    ]);
    expect(res.status).toBe(200);
    const answers = res.body.Operations.map((o: any) => [o.status, o.response?.scimType]);
    expect(answers).toEqual([
      ["409", "uniqueness"],
      ["400", "invalidValue"],
      ["400", "invalidPath"],
      ["404", undefined],
      ["400", "invalidValue"],
      ["412", undefined],
      ["201", undefined],
      ["400", "invalidSyntax"],
      ["400", "invalidSyntax"],
      ["400", "invalidSyntax"],
      ["400", "invalidSyntax"],
      ["405", undefined],
      ["404", undefined],
      ["400", "invalidSyntax"],
    ]);
    // A failed operation on a named resource points at it; a failed POST at nothing.
    expect(res.body.Operations[3].location).toBe("https://scim.test/scim/v2/Users/no-such-id");
    expect(res.body.Operations[0]).not.toHaveProperty("location");
    for (const op of res.body.Operations.filter((o: any) => o.status !== "201")) {
      expect(op.response).toMatchObject({ schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"], status: op.status, detail: expect.any(String) });
    }
    const names = (await org.call("GET", "/Users?sortBy=userName")).body.Resources.map((u: any) => u.userName);
    expect(names).toEqual(["fine", "taken"]);
    expect((await org.call("GET", "/Groups")).body.totalResults).toBe(0);
  });

  it("takes version as If-Match: a match (or *) applies, a mismatch is 412 and changes nothing", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const u = (await org.call("POST", "/Users", { userName: "v" })).body;
    const g = (await org.call("POST", "/Groups", { displayName: "V" })).body;
    const before = [await userRows(org.orgId), await groupRows(org.orgId)];
    const stale = await bulk(org, [
      { method: "PUT", path: `/Users/${u.id}`, version: 'W/"2"', data: { userName: "v2" } },
      { method: "PATCH", path: `/Groups/${g.id}`, version: '"7"', data: patchBody({ op: "replace", path: "displayName", value: "V2" }) },
      { method: "DELETE", path: `/Users/${u.id}`, version: 'W/"3"' },
      { method: "DELETE", path: `/Groups/${g.id}`, version: 'W/"0"' },
    ]);
    expect(stale.body.Operations.map((o: any) => o.status)).toEqual(["412", "412", "412", "412"]);
    expect([await userRows(org.orgId), await groupRows(org.orgId)]).toEqual(before);
    const fresh = await bulk(org, [
      { method: "PUT", path: `/Users/${u.id}`, version: 'W/"1"', data: { userName: "v2" } },
      { method: "PATCH", path: `/Users/${u.id}`, version: 'W/"2"', data: patchBody({ op: "replace", path: "displayName", value: "D" }) },
      { method: "PATCH", path: `/Groups/${g.id}`, version: "*", data: patchBody({ op: "replace", path: "displayName", value: "V2" }) },
      { method: "DELETE", path: `/Groups/${g.id}`, version: 'W/"2"' },
    ]);
    expect(fresh.body.Operations.map((o: any) => [o.status, o.version])).toEqual([
      ["200", 'W/"2"'],
      ["200", 'W/"3"'],
      ["204", 'W/"2"'],
      ["204", undefined],
    ]);
  });

  it("is isolated per organization: another org's ids are unknown, its data untouched", async () => {
    const a = await newScimOrg({ send: viaApp() });
    const b = await newScimOrg({ send: viaApp() });
    const theirs = (await b.call("POST", "/Users", { userName: "theirs" })).body;
    const theirGroup = (await b.call("POST", "/Groups", { displayName: "Theirs", members: [{ value: theirs.id }] })).body;
    const before = [await userRows(b.orgId), await groupRows(b.orgId)];
    const res = await bulk(a, [
      { method: "PATCH", path: `/Users/${theirs.id}`, data: patchBody({ op: "replace", path: "displayName", value: "mine" }) },
      { method: "DELETE", path: `/Users/${theirs.id}` },
      { method: "PUT", path: `/Groups/${theirGroup.id}`, data: { displayName: "Mine" } },
      { method: "DELETE", path: `/Groups/${theirGroup.id}` },
      group("steal", { displayName: "Steal", members: [{ value: theirs.id }] }),
      user("same-name", { userName: "theirs" }),
    ]);
    expect(res.body.Operations.map((o: any) => o.status)).toEqual(["404", "404", "404", "404", "400", "201"]);
    expect([await userRows(b.orgId), await groupRows(b.orgId)]).toEqual(before);
  });
});

describe("bulkId references", () => {
  const ops = (): Op[] => [
    group("team", { displayName: "Team", members: [{ value: "bulkId:ada" }, { value: "bulkId:bob", type: "User" }] }),
    user("ada", { userName: "ada", [ENT]: { manager: { value: "bulkId:bob" } } }),
    user("bob", { userName: "bob" }),
    { method: "PATCH", path: "/Groups/bulkId:team", data: patchBody({ op: "add", path: "members", value: ["bulkId:cy"] }) },
    user("cy", { userName: "cy", [ENT]: { manager: "bulkId:ada" } }),
    { method: "PATCH", path: "/Users/bulkId:bob", data: patchBody({ op: "replace", path: "displayName", value: "Bob" }) },
  ];

  const permutations = (n: number): number[][] =>
    n === 1 ? [[0]] : permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));

  it("resolve in any order: every ordering of the same operations gives the same organization", async () => {
    const orders = permutations(6);
    const sampled = [orders[0], orders[orders.length - 1], ...Array.from({ length: 10 }, (_, i) => orders[(i * 71 + 13) % orders.length])];
    let expected: unknown;
    for (const order of sampled) {
      const org = await newScimOrg({ send: viaApp() });
      const all = ops();
      const res = await bulk(org, order.map((i) => all[i]));
      expect(res.body.Operations.map((o: any) => o.status).sort(), JSON.stringify(order)).toEqual(["200", "201", "201", "201", "201", "204"]);
      // Answers come back in request order, each with its bulkId.
      expect(res.body.Operations.map((o: any) => o.bulkId ?? o.method)).toEqual(order.map((i) => (all[i].bulkId as string) ?? all[i].method));
      const state = await snapshot(org);
      if (expected === undefined) expected = state;
      expect(state, JSON.stringify(order)).toEqual(expected);
    }
    expect(expected).toEqual({
      users: [
        { userName: "ada", version: 'W/"1"', manager: "bob" },
        { userName: "bob", displayName: "Bob", version: 'W/"2"' },
        { userName: "cy", version: 'W/"1"', manager: "ada" },
      ],
      groups: [{ displayName: "Team", version: 'W/"2"', members: ["ada", "bob", "cy"] }],
    });
  });

  it("an undeclared bulkId is 400 invalidValue, a failed POST's is 409, a duplicate bulkId 400; the rest applies", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const res = await bulk(org, [
      group("g1", { displayName: "G1", members: [{ value: "bulkId:ghost" }] }),
      user("bad", { userName: "" }),
      group("g2", { displayName: "G2", members: [{ value: "bulkId:bad" }] }),
      { method: "DELETE", path: "/Users/bulkId:bad" },
      user("ok", { userName: "ok" }),
      user("ok", { userName: "ok2" }),
      group("g3", { displayName: "G3", members: ["bulkId:ok"] }),
    ]);
    expect(res.body.Operations.map((o: any) => [o.bulkId, o.status, o.response?.scimType])).toEqual([
      ["g1", "400", "invalidValue"],
      ["bad", "400", "invalidValue"],
      ["g2", "409", undefined],
      [undefined, "409", undefined],
      ["ok", "201", undefined],
      ["ok", "400", "invalidValue"],
      ["g3", "201", undefined],
    ]);
    expect(res.body.Operations[0].response.detail).toMatch(/bulkId:ghost/);
    expect(res.body.Operations[2].response.detail).toMatch(/Operations\[1\]/);
    // Nothing was created to point at: no location for a failed POST or an operation on its bulkId.
    for (const i of [1, 2, 3]) expect(res.body.Operations[i]).not.toHaveProperty("location");
    const snap = await snapshot(org);
    expect(snap.groups).toEqual([{ displayName: "G3", version: 'W/"1"', members: ["ok"] }]);
    expect(snap.users.map((u: any) => u.userName)).toEqual(["ok"]);
  });

  it("circular references are 409 for the operations in (and waiting on) the cycle; the rest applies", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const res = await bulk(org, [
      user("a", { userName: "a", [ENT]: { manager: { value: "bulkId:b" } } }),
      user("b", { userName: "b", [ENT]: { manager: { value: "bulkId:a" } } }),
      group("waits", { displayName: "Waits", members: ["bulkId:a"] }),
      user("self", { userName: "self", [ENT]: { manager: { value: "bulkId:self" } } }),
      user("free", { userName: "free" }),
    ]);
    expect(res.body.Operations.map((o: any) => [o.bulkId, o.status])).toEqual([
      ["a", "409"],
      ["b", "409"],
      ["waits", "409"],
      ["self", "409"],
      ["free", "201"],
    ]);
    expect(res.body.Operations[0].response.detail).toMatch(/Circular bulkId references \(bulkId:a → bulkId:b → bulkId:a\)/);
    expect((await snapshot(org)).users.map((u: any) => u.userName)).toEqual(["free"]);
    expect((await org.call("GET", "/Groups")).body.totalResults).toBe(0);
  });
});

describe("failOnErrors", () => {
  const ops = (): Op[] => [
    user("u1", { userName: "u1" }),
    user("u2", { userName: "" }),
    user("u3", { userName: "u3" }),
    { method: "DELETE", path: "/Users/missing" },
    user("u5", { userName: "u5" }),
  ];

  it("stops after that many errors: the operations after are neither run nor answered", async () => {
    for (const [failOnErrors, answered, users] of [
      [1, ["201", "400"], ["u1"]],
      [2, ["201", "400", "201", "404"], ["u1", "u3"]],
      [3, ["201", "400", "201", "404", "201"], ["u1", "u3", "u5"]],
    ] as const) {
      const org = await newScimOrg({ send: viaApp() });
      const res = await bulk(org, ops(), { failOnErrors });
      expect(res.status).toBe(200);
      expect(res.body.Operations.map((o: any) => o.status), `failOnErrors ${failOnErrors}`).toEqual(answered);
      expect((await snapshot(org)).users.map((u: any) => u.userName)).toEqual(users);
    }
  });

  it("without it, runs every operation whatever fails", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const res = await bulk(org, ops());
    expect(res.body.Operations.map((o: any) => o.status)).toEqual(["201", "400", "201", "404", "201"]);
  });

  it("must be a positive integer", async () => {
    const org = await newScimOrg({ send: viaApp() });
    for (const failOnErrors of [0, -1, 1.5, "x"]) expectScimError(await bulk(org, ops(), { failOnErrors }), 400, "invalidValue");
    expect((await org.call("GET", "/Users")).body.totalResults).toBe(0);
  });
});

describe("limits", () => {
  it("refuses more than bulk.maxOperations operations, and a body over bulk.maxPayloadSize, with 413, writing nothing", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const spc = await org.call("GET", "/ServiceProviderConfig");
    expect(spc.body.bulk).toEqual({ supported: true, maxOperations: 1000, maxPayloadSize: 1048576 });
    const tooMany = Array.from({ length: 1001 }, (_, i) => user(`u${i}`, { userName: `u${i}` }));
    expectScimError(await bulk(org, tooMany), 413);
    const big = [user("big", { userName: "big", nickName: "x".repeat(1024 * 1024) })];
    expectScimError(await bulk(org, big), 413);
    expect((await org.call("GET", "/Users")).body.totalResults).toBe(0);
    // Exactly at the limit is accepted.
    const atLimit = await bulk(org, tooMany.slice(0, 1000));
    expect(atLimit.status).toBe(200);
    expect(atLimit.body.Operations.every((o: any) => o.status === "201")).toBe(true);
    expect((await org.call("GET", "/Users?count=0")).body.totalResults).toBe(1000);
  });

  it("answers a body that is no BulkRequest with 400, and other methods with 405", async () => {
    const org = await newScimOrg({ send: viaApp() });
    expectScimError(await org.call("POST", "/Bulk", { schemas: [BULK_REQUEST] }), 400, "invalidSyntax");
    expectScimError(await org.call("POST", "/Bulk", { Operations: {} }), 400, "invalidSyntax");
    expectScimError(await org.call("POST", "/Bulk", "[1,2]"), 400, "invalidSyntax");
    expectScimError(await org.call("POST", "/Bulk", "{"), 400, "invalidSyntax");
    const get = await org.call("GET", "/Bulk");
    expectScimError(get, 405);
    expect(get.headers.get("Allow")).toBe("POST");
  });
});

describe("what else a write does", () => {
  afterEach(() => vi.restoreAllMocks());

  it("logs one provisioning-log entry for the request, listing its operations with their statuses", async () => {
    const org = await newScimOrg({ send: viaApp() });
    await bulk(org, [user("a", { userName: "a", password: "Secret-Pa55word" }), { method: "DELETE", path: "/Users/nope" }]);
    const rows = { results: (await rawLogRows(org.orgId)) as any[] };
    expect(rows.results).toHaveLength(1);
    expect(rows.results[0]).toMatchObject({ method: "POST", path: "/scim/v2/Bulk", status: 200 });
    const created = (await org.call("GET", "/Users")).body.Resources[0];
    expect(JSON.parse(rows.results[0].ops)).toEqual({
      count: 2,
      items: [
        { op: "POST", path: "/Users", status: 201 },
        { op: "DELETE", path: "/Users/nope", status: 404 },
      ],
    });
    expect(JSON.stringify(rows.results)).not.toContain("Secret-Pa55word");
    expect(created.userName).toBe("a");
  });

  it("starts setup for every user it created, like single creates: one signed link each, in a fixed number of statements", async () => {
    const sent: Request[] = [];
    vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
      sent.push(new Request(input as RequestInfo, init));
      return new Response("ok");
    });
    const org = await newScimOrg({
      send: viaApp({ env: { SETUP_WEBHOOK_URL: "https://hooks.example.com/setup", SETUP_WEBHOOK_SECRET: "whsec-test-0123456789" } }),
    });
    const res = await bulk(org, [
      ...Array.from({ length: 20 }, (_, i) => user(`u${i}`, { userName: `u${i}@x`, emails: [{ value: `u${i}@x` }] })),
      user("inactive", { userName: "inactive", active: false }),
      user("gone", { userName: "gone" }),
      { method: "DELETE", path: "/Users/bulkId:gone" },
    ]);
    expect(res.body.Operations.filter((o: any) => o.status === "201")).toHaveLength(22);
    const payloads = await Promise.all(sent.map((r) => r.clone().json<any>()));
    expect(payloads.map((p) => p.userName).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `u${i}@x`).sort());
    for (const r of sent) expect(r.headers.get("X-Signature")).toMatch(/^sha256=[0-9a-f]{64}$/);
    const links = await env.DB.prepare("SELECT count(*) AS n FROM setup_links WHERE org_id = ? AND superseded_at IS NULL").bind(org.orgId).first<any>();
    expect(links.n).toBe(20);
  });
});

describe("names passed around within a request", () => {
  it("renames onto names other operations free, swaps included, as single requests would in that order", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const a = (await org.call("POST", "/Users", { userName: "a" })).body;
    const b = (await org.call("POST", "/Users", { userName: "b" })).body;
    const x = (await org.call("POST", "/Groups", { displayName: "X" })).body;
    const y = (await org.call("POST", "/Groups", { displayName: "Y" })).body;
    const rename = (path: string, attr: string, value: string) => ({ method: "PATCH", path, data: patchBody({ op: "replace", path: attr, value }) });
    const res = await bulk(org, [
      rename(`/Users/${a.id}`, "userName", "tmp"),
      rename(`/Users/${b.id}`, "userName", "A"),
      rename(`/Users/${a.id}`, "userName", "b"),
      rename(`/Groups/${x.id}`, "displayName", "tmp"),
      rename(`/Groups/${y.id}`, "displayName", "x"),
      rename(`/Groups/${x.id}`, "displayName", "Y"),
      { method: "DELETE", path: `/Groups/${y.id}` },
      group("again", { displayName: "x" }),
      user("tmp", { userName: "TMP" }),
    ]);
    expect(res.body.Operations.map((o: any) => o.status)).toEqual(["200", "200", "200", "204", "204", "204", "204", "201", "201"]);
    expect((await org.call("GET", `/Users/${a.id}`)).body.userName).toBe("b");
    expect((await org.call("GET", `/Users/${b.id}`)).body.userName).toBe("A");
    expect((await org.call("GET", `/Groups/${x.id}`)).body.displayName).toBe("Y");
    expect((await snapshot(org)).groups.map((g: any) => g.displayName)).toEqual(["x", "Y"]);
  });
});

describe("races with single requests", () => {
  /** Runs `interfere` once, just before the writer's first write batch of a Bulk plan. */
  async function beforeFirstBulkWrite(orgId: string, interfere: () => Promise<void>) {
    await runInDurableObject(orgWriter(env, orgId), (object) => {
      const instance = object as unknown as OrgWriter;
      const inner = (instance as unknown as { env: { DB: D1Database } }).env.DB;
      let armed = false;
      let done = false;
      instance.d1 = new Proxy(inner, {
        get(target, prop) {
          if (prop === "prepare") {
            return (query: string) => {
              if (query.includes("INSERT INTO users") || query.includes("UPDATE users SET")) armed = true;
              return target.prepare(query);
            };
          }
          if (prop === "batch") {
            return async (statements: D1PreparedStatement[]) => {
              if (armed && !done) {
                done = true;
                await interfere();
              }
              armed = false;
              return target.batch(statements);
            };
          }
          const value = Reflect.get(target, prop);
          return typeof value === "function" ? value.bind(target) : value;
        },
      });
    });
  }

  it("a user changed by a single PATCH between the plan's read and its write loses neither change", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const u = (await org.call("POST", "/Users", { userName: "raced" })).body;
    await beforeFirstBulkWrite(org.orgId, async () => {
      expect((await org.call("PATCH", `/Users/${u.id}`, patchBody({ op: "replace", path: "title", value: "Single" }))).status).toBe(200);
    });
    const res = await bulk(org, [{ method: "PATCH", path: `/Users/${u.id}`, data: patchBody({ op: "replace", path: "displayName", value: "Bulk" }) }]);
    expect(res.body.Operations[0]).toMatchObject({ status: "200", version: 'W/"3"' });
    const now = (await org.call("GET", `/Users/${u.id}`)).body;
    expect([now.title, now.displayName, now.meta.version]).toEqual(["Single", "Bulk", 'W/"3"']);
  });

  it("a userName a single POST takes between the plan's read and its write makes that operation 409, the rest applies", async () => {
    const org = await newScimOrg({ send: viaApp() });
    await beforeFirstBulkWrite(org.orgId, async () => {
      expect((await org.call("POST", "/Users", { userName: "contested" })).status).toBe(201);
    });
    const res = await bulk(org, [user("c", { userName: "Contested" }), user("d", { userName: "free" })]);
    expect(res.body.Operations.map((o: any) => o.status)).toEqual(["409", "201"]);
    expect((await snapshot(org)).users.map((u: any) => u.userName)).toEqual(["contested", "free"]);
  });
});

/**
 * Serialisation through HTTP, in ways that would fail without the OrgWriter: racing conditional
 * writes, racing adds, a user deleted while being added, and the 503 when the writer fails.
 */
import { env } from "cloudflare:test";
import { afterEach, describe, expect, it } from "vitest";
import { expectScimError, newScimOrg, viaApp, HEAVY_TEST_TIMEOUT } from "../support/helpers";
import { createGroup, groupRows, groupVersion, instrumentWriter, memberValues, patchBody, restoreWriter } from "../support/group-helpers";
import { groupRow, seedUsers, seedGroup, seedMembers } from "../support/seed";
import { createUser } from "../support/user-helpers";

const addMember = (id: string) => patchBody({ op: "add", path: "members", value: [{ value: id }] });

describe("racing group writes", () => {
  it("50 concurrent PATCHes with the same If-Match: exactly one 2xx and 49 × 412, one batch in flight", async () => {
    const org = await newScimOrg();
    const users = await seedUsers(org.orgId, 50);
    const group = await createGroup(org, { displayName: "Contested" });
    const stats = await instrumentWriter(org.orgId);
    const results = await Promise.all(
      users.map((id) => org.call("PATCH", `/Groups/${group.id}`, addMember(id), { "If-Match": 'W/"1"' })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([204, ...Array(49).fill(412)]);
    for (const r of results.filter((r) => r.status === 412)) expectScimError(r, 412);
    expect(stats.maxInFlight).toBe(1);
    expect(stats.batches).toBe(1);
    expect(await memberValues(org, group.id)).toHaveLength(1);
    expect(await groupVersion(org, group.id)).toBe('W/"2"');
  });

  it("200 concurrent single-member adds: all 200 present, meta.version advanced by 200", async () => {
    const org = await newScimOrg();
    const users = await seedUsers(org.orgId, 200);
    const group = await createGroup(org, { displayName: "Busy" });
    const stats = await instrumentWriter(org.orgId);
    const results = await Promise.all(users.map((id) => org.call("PATCH", `/Groups/${group.id}`, addMember(id))));
    expect(results.map((r) => r.status)).toEqual(Array(200).fill(204));
    expect(await memberValues(org, group.id)).toEqual([...users].sort());
    expect(await groupVersion(org, group.id)).toBe('W/"201"');
    expect(await groupRow(group.id)).toMatchObject({ member_count: 200 });
    expect(stats).toMatchObject({ batches: 200, maxInFlight: 1 });
  }, HEAVY_TEST_TIMEOUT);

  it("a user deleted while being added to groups leaves no dangling membership and no 500", async () => {
    const org = await newScimOrg();
    // Seeded straight into D1 (the race is under test, not the creates): two users, ten groups of one.
    const [victim, bystander] = await seedUsers(org.orgId, 2);
    const groups: string[] = [];
    for (let i = 0; i < 10; i++) groups.push(await seedGroup(org.orgId, `G${i}`));
    for (const g of groups) await seedMembers(org.orgId, g, [bystander]);
    const stats = await instrumentWriter(org.orgId);
    const adds = groups.map((g) => org.call("PATCH", `/Groups/${g}`, addMember(victim)));
    const deletion = org.call("DELETE", `/Users/${victim}`);
    const more = groups.map((g) => org.call("PATCH", `/Groups/${g}`, addMember(victim)));
    const results = await Promise.all([...adds, deletion, ...more]);
    expect(results[10].status).toBe(204);
    for (const r of [...results.slice(0, 10), ...results.slice(11)]) {
      // Before the delete: added (204). After it: the id is no user of the org any more (400).
      if (r.status !== 204) expectScimError(r, 400, "invalidValue");
    }
    expect(stats.maxInFlight).toBe(1);
    const dangling = await env.DB.prepare("SELECT count(*) AS n FROM group_members WHERE user_id = ?").bind(victim).first("n");
    expect(dangling).toBe(0);
    for (const g of groups) {
      expect(await memberValues(org, g)).toEqual([bystander]);
      expect(await groupRow(g)).toMatchObject({ member_count: 1 });
    }
  });
});

describe("a writer that fails", () => {
  let broken: string | undefined;
  afterEach(async () => {
    if (broken) await restoreWriter(broken);
    broken = undefined;
  });

  it("answers 503 with Retry-After and a SCIM body, and writes nothing", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "u" });
    const group = await createGroup(org, { displayName: "G" });
    const before = await groupRows(org.orgId);
    broken = org.orgId;
    await instrumentWriter(org.orgId, { fail: true });
    const requests: [string, string, unknown?][] = [
      ["POST", "/Groups", { displayName: "New" }],
      ["PUT", `/Groups/${group.id}`, { displayName: "Put" }],
      ["PATCH", `/Groups/${group.id}`, addMember(user.id)],
      ["DELETE", `/Groups/${group.id}`],
      ["DELETE", `/Users/${user.id}`],
    ];
    for (const [method, path, body] of requests) {
      const res = await org.call(method, path, body);
      expectScimError(res, 503);
      expect(Number(res.headers.get("Retry-After")), `${method} ${path}`).toBeGreaterThan(0);
    }
    expect(await groupRows(org.orgId)).toEqual(before);
    expect((await org.call("GET", `/Users/${user.id}`)).status).toBe(200);
    // Reads do not need the writer.
    expect((await org.call("GET", `/Groups/${group.id}`)).status).toBe(200);

    // Once the database is back, the same writer serves writes again.
    await restoreWriter(org.orgId);
    broken = undefined;
    expect((await org.call("PATCH", `/Groups/${group.id}`, addMember(user.id))).status).toBe(204);
  });

  it("answers 503 when the writer cannot be reached at all", async () => {
    const unreachable = {
      idFromName: (name: string) => env.ORG_WRITER.idFromName(name),
      get: () =>
        new Proxy({}, {
          get: () => () => Promise.reject(new Error("Durable Object unreachable")),
        }),
    };
    const org = await newScimOrg({ send: viaApp({ env: { ORG_WRITER: unreachable as unknown as typeof env.ORG_WRITER } }) });
    const res = await org.call("POST", "/Groups", { displayName: "Nowhere" });
    expectScimError(res, 503);
    expect(res.headers.get("Retry-After")).toBeTruthy();
    expect((await groupRows(org.orgId)).groups).toBe(0);
  });
});

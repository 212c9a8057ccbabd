/** GET /Groups and POST /Groups/.search: filters, sorting, paging, projection, statements per request. */
import { describe, expect, it } from "vitest";
import { countingScimOrg, EMPTY_LIST, expectScimError, manualClock, newScimOrg, viaApp } from "../support/helpers";
import { createGroup, GROUP, groupFilter } from "../support/group-helpers";
import { seedMembers, seedUsers } from "../support/seed";
import { createUser, patchBody } from "../support/user-helpers";

const ids = (res: { body: { Resources: { id: string }[] } }) => res.body.Resources.map((r) => r.id);
const names = (res: { body: { Resources: { displayName: string }[] } }) => res.body.Resources.map((r) => r.displayName);

describe("empty lists", () => {
  it("answer 200 with totalResults 0, never 404", async () => {
    const org = await newScimOrg();
    for (const path of ["/Groups", "/Groups?startIndex=1&count=100", groupFilter(`displayName eq "${crypto.randomUUID()}"`)]) {
      const res = await org.call("GET", path);
      expect(res.status, path).toBe(200);
      expect(res.body).toEqual(EMPTY_LIST);
    }
  });
});

describe("filters", () => {
  it("on displayName, externalId, id, members and meta, with the Users grammar", async () => {
    const T = Date.UTC(2026, 0, 1, 12);
    const time = manualClock(T);
    const org = await newScimOrg({ send: viaApp({ clock: time.clock }) });
    const alice = await createUser(org, { userName: "alice", displayName: "Alice Ä" });
    const bob = await createUser(org, { userName: "Bob" });
    const admins = await createGroup(org, { displayName: "Admins", externalId: "Ext-A", members: [{ value: alice.id }] });
    const émigrés = await createGroup(org, { displayName: "ÉMIGRÉS", externalId: "ext-a", members: [{ value: alice.id }, { value: bob.id }] });
    const empty = await createGroup(org, { displayName: "Empty" });
    const all = [admins.id, émigrés.id, empty.id];
    const cases: [string, string[]][] = [
      ['displayName eq "admins"', [admins.id]],
      ['DisplayName EQ "émigrés"', [émigrés.id]],
      ["displayName eq Admins", [admins.id]],
      ['displayName sw "é"', [émigrés.id]],
      ['displayName co "MPT"', [empty.id]],
      ['externalId eq "Ext-A"', [admins.id]],
      ['externalId eq "ext-a"', [émigrés.id]],
      ["externalId pr", [admins.id, émigrés.id]],
      [`id eq "${empty.id}"`, [empty.id]],
      [`members.value eq "${bob.id}"`, [émigrés.id]],
      [`members[value eq "${alice.id}"]`, [admins.id, émigrés.id]],
      ['members.display eq "alice ä"', [admins.id, émigrés.id]],
      ['members.display eq "bob"', [émigrés.id]],
      ["members pr", [admins.id, émigrés.id]],
      ["not (members pr)", [empty.id]],
      [`members.value eq "${bob.id}" or displayName eq "empty"`, [émigrés.id, empty.id]],
      ['meta.created eq "2026-01-01T12:00:00Z"', all],
      ['meta.lastModified gt "2026-01-01T12:00:00Z"', []],
      ['urn:ietf:params:scim:schemas:core:2.0:Group:displayName eq "Admins"', [admins.id]],
    ];
    for (const [filter, expected] of cases) {
      const res = await org.call("GET", groupFilter(filter));
      expect(res.status, filter).toBe(200);
      expect(ids(res).sort(), filter).toEqual([...expected].sort());
      expect(res.body.totalResults, filter).toBe(expected.length);
    }
    time.advance(5_000);
    await org.call("PATCH", `/Groups/${empty.id}`, patchBody({ op: "replace", path: "displayName", value: "Renamed" }));
    expect(ids(await org.call("GET", groupFilter('meta.lastModified gt "2026-01-01T12:00:01Z"')))).toEqual([empty.id]);
    const search = await org.call("POST", "/Groups/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], filter: 'displayName eq "ADMINS"', attributes: ["displayName"] });
    expect(search.body.Resources).toEqual([{ schemas: [GROUP], id: admins.id, displayName: "Admins" }]);
  });

  it("refuse attributes outside the Group schema and malformed filters with 400 invalidFilter", async () => {
    const org = await newScimOrg();
    for (const filter of ['userName eq "x"', 'members.type eq "User"', 'members.$ref eq "x"', "members eq", 'meta.version eq "W/1"', 'displayName eq "x" and']) {
      expectScimError(await org.call("GET", groupFilter(filter)), 400, "invalidFilter");
    }
    expectScimError(await org.call("GET", "/Groups?filter="), 400, "invalidFilter");
  });
});

describe("sorting and paging", () => {
  it("sorts case-insensitively in both orders, pages stably and reads startIndex/count leniently", async () => {
    const org = await newScimOrg();
    const created = [];
    for (const displayName of ["bravo", "Alpha", "Écho", "charlie", "delta"]) created.push(await createGroup(org, { displayName, externalId: displayName.toUpperCase() }));
    expect(names(await org.call("GET", "/Groups?sortBy=displayName"))).toEqual(["Alpha", "bravo", "charlie", "delta", "Écho"]);
    expect(names(await org.call("GET", "/Groups?sortBy=DISPLAYNAME&sortOrder=descending"))).toEqual(["Écho", "delta", "charlie", "bravo", "Alpha"]);
    expect(ids(await org.call("GET", "/Groups?sortBy=meta.created"))).toEqual(created.map((g) => g.id));
    expectScimError(await org.call("GET", "/Groups?sortBy=userName"), 400, "invalidValue");
    expectScimError(await org.call("GET", "/Groups?count=many"), 400, "invalidValue");

    const pages: string[] = [];
    for (const start of [1, 3, 5]) {
      const res = await org.call("GET", `/Groups?startIndex=${start}&count=2&sortBy=displayName`);
      expect(res.body).toMatchObject({ totalResults: 5, startIndex: start, itemsPerPage: start === 5 ? 1 : 2 });
      pages.push(...names(res));
    }
    expect(pages).toEqual(["Alpha", "bravo", "charlie", "delta", "Écho"]);
    expect((await org.call("GET", "/Groups?count=0")).body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    expect(ids(await org.call("GET", "/Groups?startIndex=-1&count=1"))).toEqual([created[0].id]);
    const search = await org.call("POST", "/Groups/.search", { sortBy: "displayName", sortOrder: "descending", startIndex: 2, count: 2 });
    expect(names(search)).toEqual(["delta", "charlie"]);
  });
});

describe("members in lists", () => {
  it("are listed per group, and left out entirely with excludedAttributes=members", async () => {
    const org = await newScimOrg();
    const users = [];
    for (let i = 0; i < 3; i++) users.push(await createUser(org, { userName: `u${i}` }));
    await createGroup(org, { displayName: "A", members: [{ value: users[0].id }, { value: users[1].id }] });
    await createGroup(org, { displayName: "B", members: [{ value: users[2].id }] });
    await createGroup(org, { displayName: "C" });
    const listed = await org.call("GET", "/Groups?sortBy=displayName");
    expect(listed.body.Resources.map((g: { members: { value: string }[] }) => g.members.map((m) => m.value).sort())).toEqual([
      [users[0].id, users[1].id].sort(),
      [users[2].id],
      [],
    ]);
    expect(listed.body.Resources[1].members[0]).toEqual({ value: users[2].id, display: "u2", $ref: expect.stringContaining(`/Users/${users[2].id}`), type: "User" });
    const excluded = await org.call("GET", "/Groups?excludedAttributes=members");
    for (const g of excluded.body.Resources) {
      expect(g).not.toHaveProperty("members");
      expect(g).toMatchObject({ schemas: [GROUP], id: expect.any(String), displayName: expect.any(String), meta: expect.any(Object) });
    }
    const search = await org.call("POST", "/Groups/.search", { excludedAttributes: ["members"] });
    for (const g of search.body.Resources) expect(g).not.toHaveProperty("members");
  });
});

describe("statements per list request", () => {
  it("are one batch (total, page and, when members are returned, up to 5,000 of them); a page holding more reads them in ceil(members / 5,000) more", async () => {
    const { org, measure } = await countingScimOrg();
    await org.call("GET", "/Groups"); // warms the token cache
    expect(await measure("/Groups")).toMatchObject({ statements: 3, batches: [3] });

    const users = await seedUsers(org.orgId, 12_001);
    const groups = [];
    for (let i = 0; i < 6; i++) groups.push(await createGroup(org, { displayName: `G${i}` }));
    // 4,000 + 4,000 + 4,000 members: the 5,000-member chunks end inside groups.
    for (let i = 0; i < 3; i++) await seedMembers(org.orgId, groups[i].id, users.slice(i * 4_000, (i + 1) * 4_000));
    await seedMembers(org.orgId, groups[3].id, [users[12_000]]);

    const whole = await measure("/Groups");
    expect(whole.statements).toBe(3 + Math.ceil(12_001 / 5_000));
    expect(whole.batches).toEqual([3]);
    const byId = new Map(whole.body.Resources.map((g: { id: string; members: { value: string }[] }) => [g.id, g.members.map((m) => m.value)]));
    for (let i = 0; i < 3; i++) expect(byId.get(groups[i].id)).toEqual(users.slice(i * 4_000, (i + 1) * 4_000));
    expect(byId.get(groups[3].id)).toEqual([users[12_000]]);
    expect(byId.get(groups[4].id)).toEqual([]);

    // A page of small groups: its members ride in the page's batch, one statement for the whole page.
    const small = await measure("/Groups?startIndex=4&count=3");
    expect(small).toMatchObject({ statements: 3, batches: [3] });
    expect(small.body.Resources.map((g: { members: unknown[] }) => g.members.length)).toEqual([1, 0, 0]);
    expect((await measure("/Groups?startIndex=5")).batches).toEqual([3]);
    // Members excluded or not asked for: no member statement.
    expect((await measure("/Groups?excludedAttributes=members")).statements).toBe(2);
    expect((await measure("/Groups?attributes=displayName")).statements).toBe(2);
    expect((await measure(groupFilter(`members.value eq "${users[5]}"`))).batches).toEqual([3]);
  });
});

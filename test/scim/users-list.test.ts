import { describe, expect, it } from "vitest";
import { MAX_RESULTS } from "../../src/scim/limits";
import { countingScimOrg, EMPTY_LIST, manualClock, newScimOrg, viaApp, type ScimClient } from "../support/helpers";
import { createUser, filterQuery, patchBody } from "../support/user-helpers";
import { seedUsersWithIds } from "../support/seed";

const ids = (res: { body: { Resources: { id: string }[] } }) => res.body.Resources.map((r) => r.id);
const userNames = (res: { body: { Resources: { userName: string }[] } }) => res.body.Resources.map((r) => r.userName);

async function seed(org: ScimClient, names: string[]) {
  const created = [];
  for (const userName of names) created.push(await createUser(org, { userName }));
  return created;
}

describe("empty lists", () => {
  it("answer 200 with totalResults 0 and an empty Resources list, never 404", async () => {
    const org = await newScimOrg();
    for (const path of ["/Users", "/Users?startIndex=1&count=2", filterQuery(`userName eq "${crypto.randomUUID()}"`)]) {
      const res = await org.call("GET", path);
      expect(res.status).toBe(200);
      expect(res.body).toEqual(EMPTY_LIST);
    }
  });
});

describe("paging", () => {
  it("returns the true total, stable pages, and reads startIndex/count leniently", async () => {
    const org = await newScimOrg();
    const users = await seed(org, ["u1", "u2", "u3", "u4", "u5"]);
    const pages = [];
    for (const start of [1, 3, 5]) {
      const res = await org.call("GET", `/Users?startIndex=${start}&count=2`);
      expect(res.body).toMatchObject({ totalResults: 5, startIndex: start, itemsPerPage: start === 5 ? 1 : 2 });
      pages.push(...ids(res));
    }
    expect(pages).toEqual(users.map((u) => u.id));
    const zero = await org.call("GET", "/Users?count=0");
    expect(zero.body).toMatchObject({ totalResults: 5, itemsPerPage: 0, Resources: [] });
    expect((await org.call("GET", "/Users?count=-3")).body).toMatchObject({ totalResults: 5, itemsPerPage: 0 });
    expect(ids(await org.call("GET", "/Users?startIndex=0&count=1"))).toEqual([users[0].id]);
    expect(ids(await org.call("GET", "/Users?startIndex=-7&count=1"))).toEqual([users[0].id]);
    expect((await org.call("GET", "/Users?startIndex=99")).body).toMatchObject({ totalResults: 5, startIndex: 99, itemsPerPage: 0, Resources: [] });
    const filtered = await org.call("GET", filterQuery('userName sw "u"', "&count=1&startIndex=2"));
    expect(filtered.body).toMatchObject({ totalResults: 5, itemsPerPage: 1 });
  });

  it("clamps count to filter.maxResults", async () => {
    const org = await newScimOrg();
    // Same creation instant for all, written in an order unrelated to their ids: ties are broken by
    // id, so pages are still stable. Seeded in one statement (the list is under test, not the creates).
    await seedUsersWithIds(org.orgId, Array.from({ length: MAX_RESULTS + 5 }, () => crypto.randomUUID()), { at: Date.UTC(2026, 0, 1) });
    const res = await org.call("GET", `/Users?count=${MAX_RESULTS * 10}`);
    expect(res.body).toMatchObject({ totalResults: MAX_RESULTS + 5, itemsPerPage: MAX_RESULTS });
    const rest = await org.call("GET", `/Users?count=${MAX_RESULTS}&startIndex=${MAX_RESULTS + 1}`);
    const all = [...ids(res), ...ids(rest)];
    expect(new Set(all).size).toBe(MAX_RESULTS + 5);
    expect(all).toEqual([...all].sort());
    const spc = await org.call("GET", "/ServiceProviderConfig");
    expect(spc.body.filter.maxResults).toBe(MAX_RESULTS);
  });
});

describe("sorting", () => {
  it("sorts case-insensitively, in both orders, absent values last, ties by id", async () => {
    const org = await newScimOrg();
    const people = [
      { userName: "bob", name: { familyName: "Young" }, title: "b", emails: [{ value: "z@x" }, { value: "b@x", primary: true }] },
      { userName: "Alice", name: { familyName: "smith" }, emails: [{ value: "c@x" }] },
      { userName: "Émile", name: { familyName: "Zola" }, title: "A" },
      { userName: "carol", title: "C", emails: [{ value: "A@x" }] },
    ];
    for (const p of people) await createUser(org, p);
    expect(userNames(await org.call("GET", "/Users?sortBy=userName"))).toEqual(["Alice", "bob", "carol", "Émile"]);
    expect(userNames(await org.call("GET", "/Users?sortBy=USERNAME&sortOrder=Descending"))).toEqual(["Émile", "carol", "bob", "Alice"]);
    expect(userNames(await org.call("GET", "/Users?sortBy=name.familyName"))).toEqual(["Alice", "bob", "Émile", "carol"]);
    expect(userNames(await org.call("GET", "/Users?sortBy=name.familyName&sortOrder=descending"))).toEqual(["Émile", "bob", "Alice", "carol"]);
    expect(userNames(await org.call("GET", "/Users?sortBy=title"))).toEqual(["Émile", "bob", "carol", "Alice"]);
    // By the primary email, else the first.
    expect(userNames(await org.call("GET", "/Users?sortBy=emails.value"))).toEqual(["carol", "bob", "Alice", "Émile"]);
    expect(userNames(await org.call("GET", "/Users?sortBy=meta.created"))).toEqual(people.map((p) => p.userName));
    const paged = [];
    for (const start of [1, 2, 3, 4]) paged.push(...userNames(await org.call("GET", `/Users?sortBy=userName&count=1&startIndex=${start}`)));
    expect(paged).toEqual(["Alice", "bob", "carol", "Émile"]);
    const search = await org.call("POST", "/Users/.search", { sortBy: "userName", sortOrder: "descending", count: 2, startIndex: 2 });
    expect(userNames(search)).toEqual(["carol", "bob"]);
  });
});

describe("filters as clients send them", () => {
  it("decode +, %20 and raw quotes, and match names, operators and values case-insensitively", async () => {
    const org = await newScimOrg();
    const alice = await createUser(org, {
      userName: "Alice@Example.com",
      externalId: "Ext-1",
      displayName: "Alice S",
      name: { givenName: "Alice", familyName: "Smith" },
      emails: [{ value: "Alice@Example.com", type: "work" }, { value: "alice@home.example", type: "home" }],
    });
    const bob = await createUser(org, { userName: "bob", externalId: "ext-1", name: { familyName: "O'Brien" } });
    const cases: [string, string[]][] = [
      ["/Users?filter=userName+eq+%22alice%40example.com%22", [alice.id]],
      ["/Users?filter=userName%20eq%20%22ALICE@example.COM%22", [alice.id]],
      ['/Users?filter=userName eq "alice@example.com"', [alice.id]],
      ['/Users?filter=userName eq "alice@example.com"&startIndex=1&count=100', [alice.id]],
      ['/Users?filter=userName eq "alice@example.com"&', [alice.id]],
      ["/Users?filter=DisplayName+EQ+%22alice+s%22", [alice.id]],
      ["/Users?filter=name.FamilyName+eq+Smith", [alice.id]],
      ["/Users?filter=name.familyName+sw+O", [bob.id]],
      ['/Users?filter=name.familyName eq "o\'brien"', [bob.id]],
      ['/Users?filter=externalId eq "Ext-1"', [alice.id]],
      ['/Users?filter=externalId eq "ext-1"', [bob.id]],
      ['/Users?filter=emails.value eq "ALICE@home.example"', [alice.id]],
      ['/Users?filter=emails[type eq "work"].value eq "alice@example.com"', [alice.id]],
      ['/Users?filter=emails[type eq "home"].value eq "alice@example.com"', []],
      ['/Users?filter=emails[type eq "work" and value co "EXAMPLE"]', [alice.id]],
      ['/Users?filter=userName ew ".com" or userName eq "bob"', [alice.id, bob.id]],
      ['/Users?filter=not (userName eq "bob")', [alice.id]],
      ['/Users?filter=title pr', []],
      ['/Users?filter=urn:ietf:params:scim:schemas:core:2.0:User:userName eq "bob"', [bob.id]],
    ];
    for (const [path, expected] of cases) {
      const res = await org.call("GET", path);
      expect(res.status, path).toBe(200);
      expect(ids(res).sort(), path).toEqual([...expected].sort());
    }
    const search = await org.call("POST", "/Users/.search", { filter: 'emails.value eq "alice@example.com"', attributes: ["userName"] });
    expect(search.body.Resources).toEqual([{ schemas: expect.any(Array), id: alice.id, userName: "Alice@Example.com" }]);
  });

  it("compare timestamps as instants, with any offset and sub-millisecond digits", async () => {
    const T = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
    const time = manualClock(T);
    const org = await newScimOrg({ send: viaApp({ clock: time.clock }) });
    const user = await createUser(org, { userName: "t" });
    time.advance(10_000);
    await org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "title", value: "later" }));
    const cases: [string, boolean][] = [
      ['meta.created eq "2026-01-01T12:00:00.123Z"', true],
      ['meta.created eq "2026-01-01T13:00:00.123000000+01:00"', true],
      ['meta.created eq "2026-01-01T12:00:00.123456Z"', false],
      ['meta.created gt "2026-01-01T12:00:00.122999999Z"', true],
      ['meta.created gt "2026-01-01T12:00:00.123456Z"', false],
      ['meta.created ge "2026-01-01T12:00:00.123456Z"', false],
      ['meta.created ge "2026-01-01T12:00:00.123Z"', true],
      ['meta.created lt "2026-01-01T12:00:00.123000001Z"', true],
      ['meta.created lt "2026-01-01T12:00:00.123Z"', false],
      ['meta.created le "2026-01-01T06:30:00.123-05:30"', true],
      ['meta.created le "2026-01-01T12:00:00.122999Z"', false],
      ['meta.lastModified gt "2026-01-01T12:00:10Z"', true],
      ['meta.lastModified gt "2026-01-01T12:00:10.123Z"', false],
      ['meta.lastModified ge "2026-01-01T12:00:10.123Z" and meta.created lt "2026-01-01T12:00:01Z"', true],
    ];
    for (const [filter, matches] of cases) {
      const res = await org.call("GET", filterQuery(filter));
      expect(res.status, filter).toBe(200);
      expect(res.body.totalResults, filter).toBe(matches ? 1 : 0);
    }
  });
});

describe("statements per list request", () => {
  it("are one batch of three (COUNT, page, the page's groups), whatever the page, the filter or the org size", async () => {
    const { org, measure } = await countingScimOrg();
    await org.call("GET", "/Users"); // warms the token cache
    const paths = ["/Users", "/Users?count=200", "/Users?count=0", filterQuery('emails.value co "x" or title pr', "&sortBy=emails.value"), "/Users?sortBy=title&startIndex=3"];
    const small = [];
    for (const path of paths) small.push(await measure(path));
    for (let i = 0; i < 30; i++) {
      await createUser(org, { userName: `user${i}`, title: `t${i}`, emails: [{ value: `user${i}@x.example` }, { value: `alt${i}@x.example` }] });
    }
    for (const path of paths) {
      const large = await measure(path);
      // The page's users' groups ride in the page's batch: one round trip for the whole list.
      expect(large.statements, path).toBe(3);
      expect(large.batches, path).toEqual([3]);
    }
    for (const s of small) expect(s).toMatchObject({ statements: 3, batches: [3] });
    expect(await measure("/Users?excludedAttributes=groups")).toMatchObject({ statements: 2, batches: [2] });
  });

  it("a create is one batch of three statements, an update one read plus one batch of four and the user's groups", async () => {
    const { org, counting } = await countingScimOrg();
    await org.call("GET", "/Users");
    counting.reset();
    const user = await createUser(org, { userName: "c", emails: Array.from({ length: 50 }, (_, i) => ({ value: `e${i}@x` })) });
    // The user, its 50 emails (one statement) and its event (the outbox row, same batch).
    expect(counting.log.batches).toEqual([3]);
    expect(counting.log.statements).toHaveLength(3);
    counting.reset();
    await org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "add", path: "emails", value: [{ value: "new@x" }] }));
    // Emails out and in, the event, the row; the groups read for the response rides in the write's
    // batch: two round trips in all.
    expect(counting.log.batches).toEqual([5]);
    expect(counting.log.statements).toHaveLength(6);
  });
});

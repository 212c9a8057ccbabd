import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { adminGet, collectPages, queryPlan, recordingD1, type Params } from "../support/directory-helpers";
import { admin, countingD1, newScimOrg, viaApp, type Fetch } from "../support/helpers";
import { seedGroup, seedMembers, seedUsers } from "../support/seed";
import { complete, linkToken, myKeys, provision, scimSetActive, sessionCookie, setActive, testBundle } from "../support/setup-helpers";


/** An org with SCIM on; `add` provisions a user through SCIM (no emails unless given). */
async function newOrg() {
  const org = await newScimOrg();
  const add = (userName: string, emails: string[] = []) => provision(org, userName, emails);
  return { org, orgId: org.orgId, add };
}

/** Group names are sorted case-insensitively: every other one is upper-cased to prove it. */
const i18n = (name: string) => (name.charCodeAt(5) % 2 ? name.toUpperCase() : name);

function list(orgId: string, params: Params = {}, send?: Fetch) {
  return adminGet(`/orgs/${orgId}/users`, params, send);
}

/** Every userName the listing yields, following nextCursor to the end. */
async function listAll(orgId: string, params: Params = {}) {
  return (await collectPages<{ userName: string }>(`/orgs/${orgId}/users`, "users", params)).map((u) => u.userName);
}

describe("admin API: the user directory", () => {
  it("lists users with their setup state, in case-insensitive userName order", async () => {
    const { orgId, add } = await newOrg();
    const bob = await add("bob");
    await add("Alice");
    await add("carol");
    const res = await list(orgId);
    expect(res.status).toBe(200);
    expect(res.body.nextCursor).toBeNull();
    expect(res.body.users.map((u: any) => u.userName)).toEqual(["Alice", "bob", "carol"]);
    expect(res.body.users[1]).toEqual({
      id: bob,
      userName: "bob",
      displayName: null,
      active: true,
      setupState: "pending",
      createdAt: expect.stringMatching(/Z$/),
      groups: [],
      groupCount: 0,
    });
    const one = await admin("GET", `/orgs/${orgId}/users/${bob}`);
    expect(one.body).toEqual(res.body.users[1]);
  });

  it("filters by state: active, deactivated, pending (active and not set up)", async () => {
    const { org, orgId, add } = await newOrg();
    const [done, pendingActive, pendingInactive, doneInactive] = await Promise.all(
      ["done", "pending-active", "pending-inactive", "done-inactive"].map((n) => add(n)),
    );
    for (const id of [done, doneInactive]) expect((await complete(await linkToken(orgId, id), await testBundle())).status).toBe(200);
    await scimSetActive(org, pendingInactive, false);
    await scimSetActive(org, doneInactive, false);
    expect(pendingActive).toBeDefined();

    expect(await listAll(orgId)).toEqual(["done", "done-inactive", "pending-active", "pending-inactive"]);
    expect(await listAll(orgId, { state: "active" })).toEqual(["done", "pending-active"]);
    expect(await listAll(orgId, { state: "deactivated" })).toEqual(["done-inactive", "pending-inactive"]);
    expect(await listAll(orgId, { state: "pending" })).toEqual(["pending-active"]);
    expect(await listAll(orgId, { state: "" })).toHaveLength(4);
    const doneUser = (await admin("GET", `/orgs/${orgId}/users/${done}`)).body;
    expect(doneUser.setupState).toBe("complete");
  });

  it("searches by case-folded prefix of the userName or of any email, beyond LIKE's 50-byte limit", async () => {
    const { orgId, add } = await newOrg();
    await add("ÉMILE.zola@example.com", ["emile@example.org"]);
    await add("jdoe", ["John.Doe@Example.com", "jd@home.example"]);
    await add("john", []);
    const long = `${"x".repeat(60)}@example.com`;
    await add("longname", [long]);

    expect(await listAll(orgId, { q: "émile" })).toEqual(["ÉMILE.zola@example.com"]);
    expect(await listAll(orgId, { q: "EMILE@" })).toEqual(["ÉMILE.zola@example.com"]);
    expect(await listAll(orgId, { q: "john" })).toEqual(["jdoe", "john"]);
    expect(await listAll(orgId, { q: "JD@HOME" })).toEqual(["jdoe"]);
    expect(await listAll(orgId, { q: "  john.doe@example.com " })).toEqual(["jdoe"]);
    expect(await listAll(orgId, { q: long.toUpperCase() })).toEqual(["longname"]);
    expect(await listAll(orgId, { q: long.slice(0, 55) })).toEqual(["longname"]);
    expect(await listAll(orgId, { q: "example" })).toEqual([]);
    expect(await listAll(orgId, { q: "j", state: "pending", limit: 1 })).toEqual(["jdoe", "john"]);
    expect(await listAll(orgId, { q: "" })).toHaveLength(4);
  });

  it("shows each user's groups: the first 10 by name, and how many there are", async () => {
    const { orgId, add } = await newOrg();
    const [many, one, none] = [await add("many"), await add("one"), await add("none")];
    const names = Array.from({ length: 12 }, (_, i) => `Team ${String.fromCharCode(76 - i)}`); // Team L … Team A
    const groups = new Map<string, string>();
    for (const name of names) groups.set(name, await seedGroup(orgId, i18n(name)));
    for (const id of groups.values()) await seedMembers(orgId, id, [many]);
    await seedMembers(orgId, groups.get("Team C")!, [one]);
    // A stray membership row naming another org's group is never shown.
    const { orgId: otherOrg } = await newOrg();
    await seedMembers(otherOrg, await seedGroup(otherOrg, "Aaa foreign"), [many, one]);

    const byName = Object.fromEntries((await list(orgId)).body.users.map((u: any) => [u.userName, u]));
    const firstTen = [...names].sort().slice(0, 10);
    expect(byName.many.groups).toEqual(firstTen.map((name) => ({ id: groups.get(name), displayName: i18n(name) })));
    expect(byName.many.groupCount).toBe(12);
    expect(byName.one).toMatchObject({ groups: [{ id: groups.get("Team C"), displayName: i18n("Team C") }], groupCount: 1 });
    expect(byName.none).toMatchObject({ groups: [], groupCount: 0 });
    expect((await admin("GET", `/orgs/${orgId}/users/${many}`)).body).toEqual(byName.many);
    expect((await admin("GET", `/orgs/${orgId}/users/${none}`)).body.groups).toEqual([]);
  });

  it("pages with a keyset cursor that stays exact while users are created between pages", async () => {
    const { orgId, add } = await newOrg();
    const before = await Promise.all(["b", "d", "f", "h", "j", "l"].map((n) => add(`user-${n}`)));
    expect(before).toHaveLength(6);

    const seen: string[] = [];
    let res = await list(orgId, { limit: 2 });
    seen.push(...res.body.users.map((u: any) => u.userName));
    // Created while the admin pages: one sorts before the cursor, one after, one at the very end.
    await add("user-a");
    await add("user-e");
    await add("user-z");
    while (res.body.nextCursor) {
      res = await list(orgId, { limit: 2, cursor: res.body.nextCursor });
      seen.push(...res.body.users.map((u: any) => u.userName));
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(["user-b", "user-d", "user-e", "user-f", "user-h", "user-j", "user-l", "user-z"]);
  });

  it("runs a fixed number of statements per page, whatever the filters, the org's size or its groups", async () => {
    const { orgId } = await newOrg();
    const ids = await seedUsers(orgId, 300);
    for (let g = 0; g < 30; g++) await seedMembers(orgId, await seedGroup(orgId, `group ${g}`), ids);
    const counted = countingD1(env.DB);
    const send = viaApp({ env: { DB: counted.d1 } });
    const variants: Params[] = [{}, { state: "pending" }, { state: "active", limit: 200 }, { q: "user0001" }, { q: "user", state: "deactivated" }];
    for (const params of variants) {
      let cursor: string | null = null;
      let pages = 0;
      do {
        counted.reset();
        const res = await list(orgId, { limit: 50, ...params, ...(cursor ? { cursor } : {}) }, send);
        expect(res.status).toBe(200);
        // The org, the page, and the groups of the page's users (none to read for an empty page).
        expect(counted.log.statements, JSON.stringify(params)).toHaveLength(res.body.users.length ? 3 : 2);
        expect(counted.log.batches).toHaveLength(0);
        cursor = res.body.nextCursor;
        pages++;
      } while (cursor && pages < 3);
    }
  });

  it("reads every page through an index in page order (no scan of the org, no sort)", async () => {
    const { orgId } = await newOrg();
    const ids = await seedUsers(orgId, 50);
    for (const id of ids.slice(0, 10)) await setActive(id, false);
    const { d1, statements: plans } = recordingD1(env.DB, /FROM users AS u/);
    const send = viaApp({ env: { DB: d1 } });
    for (const state of [undefined, "active", "deactivated", "pending"]) {
      const first = await list(orgId, { limit: 5, ...(state ? { state } : {}) }, send);
      await list(orgId, { limit: 5, cursor: first.body.nextCursor, ...(state ? { state } : {}) }, send);
    }
    const search = await list(orgId, { q: "user00002", state: "pending", limit: 1 }, send);
    await list(orgId, { q: "user00002", state: "pending", limit: 1, cursor: search.body.nextCursor }, send);
    expect(plans.size).toBeGreaterThanOrEqual(10);
    for (const [query, params] of plans) {
      const plan = await queryPlan(query, params);
      expect(plan, query).not.toMatch(/\bSCAN (u|users|e|user_emails)\b/);
      if (query.includes("UNION")) {
        // A search reads the matching userName range, and the matching emails' users by primary key.
        expect(plan, query).toMatch(/SEARCH u USING INDEX users_org_user_name \(org_id=\? AND user_name_norm>\? AND user_name_norm<\?\)/);
        expect(plan, query).toMatch(/SEARCH e USING INDEX user_emails_org_value \(org_id=\? AND value_norm>\? AND value_norm<\?\)/);
        expect(plan, query).toMatch(/SEARCH u USING INDEX (sqlite_autoindex_users_1 \(id=\?\)|users_org_id \(org_id=\? AND id=\?\))/);
      } else {
        expect(plan, query).not.toMatch(/TEMP B-TREE/);
        expect(plan, query).toMatch(/SEARCH u USING (COVERING )?INDEX users_org_/);
      }
    }
  });

  it("isolates organizations: other orgs' users are never listed and answer 404", async () => {
    const { orgId: mine, add } = await newOrg();
    const theirs = await newOrg();
    await add("shared-name", ["same@example.com"]);
    const foreign = await theirs.add("shared-name", ["same@example.com"]);
    expect(await listAll(mine)).toEqual(["shared-name"]);
    const listed = (await list(mine, { q: "same@" })).body.users;
    expect(listed.map((u: any) => u.id)).not.toContain(foreign);
    expect(listed).toHaveLength(1);
    expect((await admin("GET", `/orgs/${mine}/users/${foreign}`)).status).toBe(404);
    expect((await admin("GET", `/orgs/${mine}/users/nope`)).body.error.code).toBe("not_found");
    expect((await list("no-such-org")).status).toBe(404);
  });

  it("rejects bad parameters with 400 naming them", async () => {
    const { orgId } = await newOrg();
    for (const [params, field] of [
      [{ state: "sleeping" }, "state"],
      [{ cursor: "garbage!" }, "cursor"],
      [{ cursor: btoa("{}") }, "cursor"],
      [{ limit: 0 }, "limit"],
      [{ limit: 201 }, "limit"],
      [{ q: "x".repeat(201) }, "q"],
    ] as const) {
      const res = await list(orgId, params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });

  it("never shows key material, setup tokens or session ids", async () => {
    const { orgId, add } = await newOrg();
    const userId = await add("secretive", ["s@example.com"]);
    const token = await linkToken(orgId, userId);
    const bundle = await testBundle();
    const done = await complete(token, bundle);
    const sessionId = sessionCookie(done.headers);
    expect((await myKeys(sessionId)).status).toBe(200);

    const responses = JSON.stringify([
      (await list(orgId)).body,
      (await list(orgId, { q: "s" })).body,
      (await admin("GET", `/orgs/${orgId}/users/${userId}`)).body,
    ]);
    for (const secret of [token, sessionId, bundle.encryptedPrivateKey, bundle.iv, bundle.salt]) {
      expect(responses).not.toContain(secret);
    }
    expect(responses).not.toMatch(/encryptedPrivateKey|"iv"|"salt"|"kdf"|token|session/i);
  });
});

// Admin API: the group directory (GET /orgs/{id}/groups, /groups/{id}, /groups/{id}/members).
// Groups are seeded by SQL here, as the Groups resource stores them; test/admin/group-directory-scim.test.ts
// drives the same endpoints through SCIM.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { adminGet, collectPages, queryPlan, recordingD1, type Params } from "../support/directory-helpers";
import { admin, asConsole, consoleSignIn, countingD1, request, viaApp, viaWorker, type Fetch, HEAVY_TEST_TIMEOUT } from "../support/helpers";
import { seedGroup, seedMembers, seedUsers } from "../support/seed";
import { setActive } from "../support/setup-helpers";

async function newOrg() {
  return (await admin("POST", "/orgs", { name: `Directory ${crypto.randomUUID()}` })).body.id as string;
}

const groupsOf = (orgId: string, params: Params = {}, send?: Fetch) => adminGet(`/orgs/${orgId}/groups`, params, send);
const membersOf = (orgId: string, groupId: string, params: Params = {}, send?: Fetch) =>
  adminGet(`/orgs/${orgId}/groups/${groupId}/members`, params, send);

async function allGroupNames(orgId: string, params: Params = {}) {
  return (await collectPages<{ displayName: string }>(`/orgs/${orgId}/groups`, "groups", params)).map((g) => g.displayName);
}

async function insertMembership(orgId: string, groupId: string, userIds: string[]) {
  await env.DB.prepare(`INSERT INTO group_members (group_id, user_id, org_id) SELECT ?1, value, ?2 FROM json_each(?3)`)
    .bind(groupId, orgId, JSON.stringify(userIds))
    .run();
}

describe("admin API: the group directory", () => {
  it("lists groups in case-insensitive displayName order with the member count kept on the group row", async () => {
    const orgId = await newOrg();
    const engineering = await seedGroup(orgId, "engineering");
    await seedGroup(orgId, "Admins");
    await seedGroup(orgId, "Éditeurs");
    await seedGroup(orgId, "ZULU");
    await seedMembers(orgId, engineering, await seedUsers(orgId, 3));
    // The count comes from groups.member_count, which the writer maintains; members are never counted.
    await env.DB.prepare("UPDATE groups SET member_count = 7 WHERE id = ?").bind(engineering).run();

    const res = await groupsOf(orgId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      groups: [
        { id: expect.any(String), displayName: "Admins", memberCount: 0 },
        { id: engineering, displayName: "engineering", memberCount: 7 },
        { id: expect.any(String), displayName: "ZULU", memberCount: 0 },
        { id: expect.any(String), displayName: "Éditeurs", memberCount: 0 },
      ],
      nextCursor: null,
    });
    expect((await admin("GET", `/orgs/${orgId}/groups/${engineering}`)).body).toEqual(res.body.groups[1]);
  });

  it("searches by case-folded displayName prefix, beyond LIKE's 50-byte limit", async () => {
    const orgId = await newOrg();
    const long = `${"Ü".repeat(40)} long`;
    for (const name of ["Sales EMEA", "sales-us", "Salesforce admins", "Support", "ÉQUIPE", long]) await seedGroup(orgId, name);
    expect(await allGroupNames(orgId, { q: "SALES" })).toEqual(["Sales EMEA", "sales-us", "Salesforce admins"]);
    expect(await allGroupNames(orgId, { q: " sales- " })).toEqual(["sales-us"]);
    expect(await allGroupNames(orgId, { q: "équipe" })).toEqual(["ÉQUIPE"]);
    expect(await allGroupNames(orgId, { q: "ü".repeat(40) })).toEqual([long]);
    expect(await allGroupNames(orgId, { q: "s", limit: 1 })).toEqual(["Sales EMEA", "sales-us", "Salesforce admins", "Support"]);
    expect(await allGroupNames(orgId, { q: "emea" })).toEqual([]);
    expect(await allGroupNames(orgId, { q: "" })).toHaveLength(6);
  });

  it("pages groups with a keyset cursor that stays exact while groups are created between pages", async () => {
    const orgId = await newOrg();
    for (const n of ["b", "d", "f", "h", "j", "l"]) await seedGroup(orgId, `group-${n}`);
    const added = ["group-a", "GROUP-E", "group-z"];
    const seen = await collectPages<{ displayName: string }>(`/orgs/${orgId}/groups`, "groups", { limit: 2 }, {
      between: async (page) => {
        // After the first page: one sorts before the cursor, one after it, one at the very end.
        if (page === 1) for (const name of added) await seedGroup(orgId, name);
      },
    });
    const names = seen.map((g) => g.displayName);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(["group-b", "group-d", "GROUP-E", "group-f", "group-h", "group-j", "group-l", "group-z"]);
  });

  it("lists a group's members with their state, in user id order", async () => {
    const orgId = await newOrg();
    const groupId = await seedGroup(orgId, "Members");
    const [a, b, c] = await seedUsers(orgId, 3, "m");
    await seedUsers(orgId, 2, "not-member");
    await seedMembers(orgId, groupId, [c, a, b]);
    await setActive(b, false);
    await env.DB.prepare("UPDATE users SET setup_state = 'complete' WHERE id = ?").bind(c).run();

    const res = await membersOf(orgId, groupId);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      members: [
        { id: a, userName: "user000001@m.example", displayName: "User 000001", active: true, setupState: "pending" },
        { id: b, userName: "user000002@m.example", displayName: "User 000002", active: false, setupState: "pending" },
        { id: c, userName: "user000003@m.example", displayName: "User 000003", active: true, setupState: "complete" },
      ],
      nextCursor: null,
    });
    const empty = await seedGroup(orgId, "Empty");
    expect((await membersOf(orgId, empty)).body).toEqual({ members: [], nextCursor: null });
  });

  it("pages members exactly while members are added and removed between pages", async () => {
    const orgId = await newOrg();
    const groupId = await seedGroup(orgId, "Moving");
    const ids = await seedUsers(orgId, 9, "k"); // k-000001 … k-000009
    await seedMembers(orgId, groupId, ids.filter((_, i) => i % 2 === 1)); // 2, 4, 6, 8
    const seen = await collectPages<{ id: string }>(`/orgs/${orgId}/groups/${groupId}/members`, "members", { limit: 2 }, {
      between: async (page) => {
        if (page !== 1) return;
        // After [2, 4]: 1 joins before the cursor, 5 and 9 after it; 6 leaves.
        await insertMembership(orgId, groupId, [ids[0], ids[4], ids[8]]);
        await env.DB.prepare("DELETE FROM group_members WHERE group_id = ? AND user_id = ?").bind(groupId, ids[5]).run();
      },
    });
    const got = seen.map((m) => m.id);
    expect(new Set(got).size).toBe(got.length);
    expect(got).toEqual([ids[1], ids[3], ids[4], ids[7], ids[8]]);
  });

  it("pages a 50,000-member group with the same three statements on every page", async () => {
    const orgId = await newOrg();
    const groupId = await seedGroup(orgId, "Everyone");
    const ids = await seedUsers(orgId, 50_000, "big");
    await seedMembers(orgId, groupId, ids);
    const small = await seedGroup(orgId, "Few");
    await seedMembers(orgId, small, ids.slice(0, 3));

    const counted = countingD1(env.DB);
    const send = viaApp({ env: { DB: counted.d1 } });
    const group = await admin("GET", `/orgs/${orgId}/groups/${groupId}`, undefined, send);
    expect(group.body.memberCount).toBe(50_000);

    const perPage: number[] = [];
    let seen = 0;
    let last = "";
    let cursor: string | null = null;
    do {
      counted.reset();
      const res = await membersOf(orgId, groupId, { limit: 200, ...(cursor ? { cursor } : {}) }, send);
      expect(res.status).toBe(200);
      perPage.push(counted.log.statements.length);
      for (const m of res.body.members) {
        expect(m.id > last).toBe(true); // strictly increasing: no duplicate, no reordering
        last = m.id;
      }
      seen += res.body.members.length;
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(seen).toBe(50_000);
    expect(perPage).toHaveLength(250);
    // The org, the group, the page: the same for page 1, page 250 and a 3-member group.
    expect(new Set(perPage)).toEqual(new Set([3]));
    counted.reset();
    expect((await membersOf(orgId, small, {}, send)).body.members).toHaveLength(3);
    expect(counted.log.statements).toHaveLength(3);
    expect(counted.log.batches).toHaveLength(0);

    counted.reset();
    const groups = await groupsOf(orgId, {}, send);
    expect(groups.body.groups.map((g: any) => g.memberCount)).toEqual([50_000, 3]);
    expect(counted.log.statements).toHaveLength(2); // the org, the page
  }, HEAVY_TEST_TIMEOUT);

  it("reads every page through an index in page order (no scan, no sort)", async () => {
    const orgId = await newOrg();
    const ids = await seedUsers(orgId, 20, "plan");
    const groupIds: string[] = [];
    for (let i = 0; i < 6; i++) groupIds.push(await seedGroup(orgId, `plan group ${i}`));
    await seedMembers(orgId, groupIds[0], ids);
    await seedMembers(orgId, groupIds[1], ids.slice(0, 5));

    const { d1, statements } = recordingD1(env.DB, /\b(FROM groups AS g|FROM group_members AS m|json_each)\b/);
    const send = viaApp({ env: { DB: d1 } });
    const first = await groupsOf(orgId, { limit: 2 }, send);
    await groupsOf(orgId, { limit: 2, cursor: first.body.nextCursor }, send);
    const search = await groupsOf(orgId, { limit: 2, q: "plan" }, send);
    await groupsOf(orgId, { limit: 2, q: "plan", cursor: search.body.nextCursor }, send);
    const members = await membersOf(orgId, groupIds[0], { limit: 5 }, send);
    await membersOf(orgId, groupIds[0], { limit: 5, cursor: members.body.nextCursor }, send);
    await adminGet(`/orgs/${orgId}/users`, { limit: 10 }, send);

    const plans = await Promise.all([...statements].map(async ([query, params]) => ({ query, plan: await queryPlan(query, params) })));
    expect(plans.length).toBeGreaterThanOrEqual(6);
    for (const { query, plan } of plans) {
      expect(plan, query).not.toMatch(/\bSCAN (g|groups|m|group_members|u|users)\b/);
      if (query.includes("row_number()")) {
        // The groups of a page of users: each user's membership rows, each group by its id.
        expect(plan, query).toMatch(/SEARCH m USING COVERING INDEX group_members_user \(user_id=\?\)/);
        expect(plan, query).toMatch(/SEARCH g USING INDEX sqlite_autoindex_groups_1 \(id=\?\)|SEARCH g USING INDEX groups_org_id \(org_id=\? AND id=\?\)/);
        continue;
      }
      expect(plan, query).not.toMatch(/TEMP B-TREE/);
      if (query.includes("FROM group_members AS m")) {
        expect(plan, query).toMatch(/SEARCH m USING (COVERING )?INDEX sqlite_autoindex_group_members_1 \(group_id=\? AND user_id>\?\)/);
        expect(plan, query).toMatch(/SEARCH u USING INDEX sqlite_autoindex_users_1 \(id=\?\)/);
      } else if (query.includes("ORDER BY")) {
        expect(plan, query).toMatch(/SEARCH g USING INDEX groups_org_display_name \(org_id=\?/);
      }
    }
  });

  it("isolates organizations: other orgs' groups are never listed and answer 404, as do unknown ones", async () => {
    const mine = await newOrg();
    const theirs = await newOrg();
    const myGroup = await seedGroup(mine, "Shared name");
    const theirGroup = await seedGroup(theirs, "Shared name");
    await seedMembers(theirs, theirGroup, await seedUsers(theirs, 2));

    expect((await groupsOf(mine)).body.groups.map((g: any) => g.id)).toEqual([myGroup]);
    expect((await groupsOf(mine, { q: "shared" })).body.groups.map((g: any) => g.id)).toEqual([myGroup]);
    for (const path of [
      `/orgs/${mine}/groups/${theirGroup}`,
      `/orgs/${mine}/groups/${theirGroup}/members`,
      `/orgs/${mine}/groups/no-such-group`,
      `/orgs/${mine}/groups/no-such-group/members`,
      `/orgs/no-such-org/groups`,
      `/orgs/no-such-org/groups/${myGroup}/members`,
      `/orgs/${theirs}/groups/${myGroup}/members`,
    ]) {
      const res = await admin("GET", path);
      expect(res.status, path).toBe(404);
      expect(res.body.error.code, path).toBe("not_found");
    }
    expect((await admin("GET", `/orgs/${theirs}/groups/${theirGroup}/members`)).body.members).toHaveLength(2);
  });

  it("rejects bad parameters with 400 naming them", async () => {
    const orgId = await newOrg();
    const groupId = await seedGroup(orgId, "Params");
    for (const [path, params, field] of [
      [`/orgs/${orgId}/groups`, { cursor: "garbage!" }, "cursor"],
      [`/orgs/${orgId}/groups`, { cursor: btoa("{}") }, "cursor"],
      [`/orgs/${orgId}/groups`, { limit: 0 }, "limit"],
      [`/orgs/${orgId}/groups`, { limit: 201 }, "limit"],
      [`/orgs/${orgId}/groups`, { q: "x".repeat(201) }, "q"],
      [`/orgs/${orgId}/groups/${groupId}/members`, { cursor: "%%%" }, "cursor"],
      [`/orgs/${orgId}/groups/${groupId}/members`, { limit: "many" }, "limit"],
    ] as const) {
      const res = await adminGet(path, params);
      expect(res.status, JSON.stringify(params)).toBe(400);
      expect(res.body.error.field).toBe(field);
    }
  });

  it("answers the operator's bearer token or a console session, and nobody else", async () => {
    const orgId = await newOrg();
    const groupId = await seedGroup(orgId, "Auth");
    const paths = [`/api/v1/orgs/${orgId}/groups`, `/api/v1/orgs/${orgId}/groups/${groupId}`, `/api/v1/orgs/${orgId}/groups/${groupId}/members`];
    const session = await consoleSignIn();
    for (const path of paths) {
      expect((await viaWorker(request("GET", path))).status, path).toBe(401);
      expect((await viaWorker(request("GET", path, { headers: { Authorization: "Bearer wrong" } }))).status, path).toBe(401);
      expect((await viaWorker(request("GET", path, { headers: { Cookie: "edge_scim_console=forged" } }))).status, path).toBe(401);
      // A console page's script reads with the cookie alone (no CSRF token needed for GET).
      const viaCookie = await viaWorker(asConsole(session, "GET", path, { origin: null }));
      expect(viaCookie.status, path).toBe(200);
      expect(viaCookie.headers.get("Cache-Control"), path).toBe("no-store");
      expect((await admin("GET", path.slice("/api/v1".length))).status, path).toBe(200);
    }
    // Read-only: no method writes here, with either credential.
    for (const method of ["POST", "PUT", "PATCH", "DELETE"]) {
      expect((await admin(method, `/orgs/${orgId}/groups/${groupId}`, {})).status, method).toBe(404);
      expect((await admin(method, `/orgs/${orgId}/groups/${groupId}/members`, {})).status, method).toBe(404);
    }
  });
});

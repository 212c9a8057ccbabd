/** Groups seen from /Users: the read-only `groups` attribute, filters on it, and user deletion. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg, ORIGIN } from "../support/helpers";
import { createGroup, groupVersion, memberValues, patchGroup } from "../support/group-helpers";
import { CORE, createUser, filterQuery, patchBody } from "../support/user-helpers";

const BASE = `${ORIGIN}/scim/v2`;

describe("the users' groups attribute", () => {
  it("lists each user's groups on GET, in lists and on PUT/PATCH responses, as direct memberships", async () => {
    const org = await newScimOrg();
    const alice = await createUser(org, { userName: "alice" });
    const bob = await createUser(org, { userName: "bob" });
    const eng = await createGroup(org, { displayName: "Engineering", members: [{ value: alice.id }, { value: bob.id }] });
    const adm = await createGroup(org, { displayName: "admins", members: [{ value: alice.id }] });

    const got = await org.call("GET", `/Users/${alice.id}`);
    expect(got.body.groups).toEqual([
      { value: adm.id, display: "admins", $ref: `${BASE}/Groups/${adm.id}`, type: "direct" },
      { value: eng.id, display: "Engineering", $ref: `${BASE}/Groups/${eng.id}`, type: "direct" },
    ]);
    const list = await org.call("GET", "/Users?sortBy=userName");
    expect(list.body.Resources.map((u: { groups?: { value: string }[] }) => (u.groups ?? []).map((g) => g.value))).toEqual([
      [adm.id, eng.id],
      [eng.id],
    ]);
    const put = await org.call("PUT", `/Users/${bob.id}`, { schemas: [CORE], userName: "bob", displayName: "Bob" });
    expect(put.body.groups.map((g: { value: string }) => g.value)).toEqual([eng.id]);
    const patched = await org.call("PATCH", `/Users/${bob.id}`, patchBody({ op: "replace", path: "title", value: "T" }));
    expect(patched.body.groups.map((g: { value: string }) => g.value)).toEqual([eng.id]);
    expect((await org.call("GET", `/Users/${bob.id}?excludedAttributes=groups`)).body.groups).toBeUndefined();
    expect((await org.call("GET", `/Users/${bob.id}?attributes=groups.display`)).body.groups).toEqual([{ display: "Engineering" }]);
  });

  it("ignores groups in a User body (POST, PUT and PATCH values)", async () => {
    const org = await newScimOrg();
    const group = await createGroup(org, { displayName: "Real" });
    const created = await org.call("POST", "/Users", { userName: "u", groups: [{ value: group.id }] });
    expect(created.status).toBe(201);
    expect(created.body.groups).toBeUndefined();
    const id = created.body.id;
    expect((await org.call("PUT", `/Users/${id}`, { userName: "u", groups: [{ value: group.id }] })).body.groups).toBeUndefined();
    expect((await org.call("PATCH", `/Users/${id}`, patchBody({ op: "add", value: { groups: [{ value: group.id }] } }))).status).toBe(200);
    expect(await memberValues(org, group.id)).toEqual([]);
    expectScimError(await org.call("PATCH", `/Users/${id}`, patchBody({ op: "add", path: "groups", value: [{ value: group.id }] })), 400, "mutability");
  });

  it("filters users on groups.value and groups.display", async () => {
    const org = await newScimOrg();
    const alice = await createUser(org, { userName: "alice" });
    const bob = await createUser(org, { userName: "bob" });
    const eng = await createGroup(org, { displayName: "Ingénieurs", members: [{ value: alice.id }, { value: bob.id }] });
    await createGroup(org, { displayName: "Admins", members: [{ value: alice.id }] });
    const cases: [string, string[]][] = [
      [`groups.value eq "${eng.id}"`, [alice.id, bob.id]],
      ['groups.display eq "admins"', [alice.id]],
      ['groups[display eq "INGÉNIEURS"]', [alice.id, bob.id]],
      ['groups.display eq "nobody"', []],
      ["not (groups pr)", []],
    ];
    for (const [filter, expected] of cases) {
      const res = await org.call("GET", filterQuery(filter));
      expect(res.status, filter).toBe(200);
      expect(res.body.Resources.map((u: { id: string }) => u.id).sort(), filter).toEqual([...expected].sort());
    }
  });

  it("keeps deactivated users as members, and membership changes leave the users' meta alone", async () => {
    const org = await newScimOrg();
    const alice = await createUser(org, { userName: "alice" });
    const bob = await createUser(org, { userName: "bob" });
    const group = await createGroup(org, { displayName: "G", members: [{ value: alice.id }] });
    const off = await org.call("PATCH", `/Users/${alice.id}`, patchBody({ op: "replace", path: "active", value: false }));
    expect(off.body.active).toBe(false);
    expect(await memberValues(org, group.id)).toEqual([alice.id]);
    expect(off.body.groups.map((g: { value: string }) => g.value)).toEqual([group.id]);

    const before = (await org.call("GET", `/Users/${bob.id}`)).body.meta;
    await patchGroup(org, group.id, { op: "add", path: "members", value: [{ value: bob.id }] });
    await patchGroup(org, group.id, { op: "replace", path: "displayName", value: "Renamed" });
    await patchGroup(org, group.id, { op: "remove", path: "members", value: [{ value: bob.id }] });
    expect((await org.call("GET", `/Users/${bob.id}`)).body.meta).toEqual(before);
  });
});

describe("deleting a user", () => {
  it("removes its memberships and bumps each group it left by one, through DELETE /Users/{id}", async () => {
    const org = await newScimOrg();
    const alice = await createUser(org, { userName: "alice" });
    const bob = await createUser(org, { userName: "bob" });
    const both = await createGroup(org, { displayName: "Both", members: [{ value: alice.id }, { value: bob.id }] });
    const onlyAlice = await createGroup(org, { displayName: "Alice", members: [{ value: alice.id }] });
    const onlyBob = await createGroup(org, { displayName: "Bob", members: [{ value: bob.id }] });

    expect((await org.call("DELETE", `/Users/${alice.id}`)).status).toBe(204);
    expect(await memberValues(org, both.id)).toEqual([bob.id]);
    expect(await memberValues(org, onlyAlice.id)).toEqual([]);
    expect(await groupVersion(org, both.id)).toBe('W/"2"');
    expect(await groupVersion(org, onlyAlice.id)).toBe('W/"2"');
    expect(await groupVersion(org, onlyBob.id)).toBe('W/"1"');
    const dangling = await env.DB.prepare("SELECT count(*) AS n FROM group_members WHERE user_id = ?").bind(alice.id).first("n");
    expect(dangling).toBe(0);
    expect((await org.call("GET", `/Groups?filter=${encodeURIComponent("members pr")}`)).body.totalResults).toBe(2);
    // The group's maintained member count follows: a PUT of the same members changes nothing.
    const same = await org.call("PUT", `/Groups/${both.id}`, { displayName: "Both", members: [{ value: bob.id }] });
    expect(same.body.meta.version).toBe('W/"2"');
  });

  it("keeps its If-Match semantics: 412 on a stale ETag, * and a matching ETag succeed", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "guarded" });
    expectScimError(await org.call("DELETE", `/Users/${user.id}`, undefined, { "If-Match": 'W/"2"' }), 412);
    expect((await org.call("GET", `/Users/${user.id}`)).status).toBe(200);
    expect((await org.call("DELETE", `/Users/${user.id}`, undefined, { "If-Match": 'W/"1"' })).status).toBe(204);
    const other = await createUser(org, { userName: "star" });
    expect((await org.call("DELETE", `/Users/${other.id}`, undefined, { "If-Match": "*" })).status).toBe(204);
    expectScimError(await org.call("DELETE", `/Users/${other.id}`, undefined, { "If-Match": "*" }), 404);
  });
});

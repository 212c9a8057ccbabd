/**
 * JumpCloud's group flow (docs/idp-dialects.md): "Enable management of User Groups and Group
 * Membership" — take over an existing group by name, create, rename, add and remove members (member
 * objects with only `value`, removal with a value list, repeated operations), delete.
 */
import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg, type ScimClient } from "../support/helpers";
import { GROUP, groupVersion, memberValues } from "../support/group-helpers";
import { CORE, PATCH_OP } from "../support/user-helpers";

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const byName = (name: string) => `/Groups?filter=${encodeURIComponent(`displayName eq "${name}"`)}`;

async function jcUser(org: ScimClient, userName: string) {
  const res = await org.call("POST", "/Users", {
    schemas: [CORE],
    userName,
    name: { givenName: "J", familyName: "C" },
    displayName: userName,
    emails: [{ value: userName, type: "work", primary: true }],
    active: true,
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

describe("JumpCloud groups", () => {
  it("Activate's group check: creates, updates and deletes a test group", async () => {
    const org = await newScimOrg();
    expect((await org.call("GET", byName("JumpCloud Test Group"))).body.totalResults).toBe(0);
    const created = await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "JumpCloud Test Group" });
    expect(created.status).toBe(201);
    expect(typeof created.body.id).toBe("string");
    const updated = await org.call("PATCH", `/Groups/${created.body.id}`, patch({ op: "replace", path: "displayName", value: "JumpCloud Test Group 2" }));
    expect(updated.status).toBe(204);
    expect((await org.call("DELETE", `/Groups/${created.body.id}`)).status).toBe(204);
    expectScimError(await org.call("GET", `/Groups/${created.body.id}`), 404);
  });

  it("takes over an existing group by name, renames it, adds and removes members idempotently, deletes it", async () => {
    const org = await newScimOrg();
    const existing = (await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "Engineering" })).body;
    const [ann, ben, cat] = [await jcUser(org, "ann@jc.example"), await jcUser(org, "ben@jc.example"), await jcUser(org, "cat@jc.example")];

    // Take-over: the lookup finds the group (case-insensitively), so no create happens.
    const found = await org.call("GET", byName("engineering"));
    expect(found.body.Resources.map((g: { id: string }) => g.id)).toEqual([existing.id]);
    const id = existing.id;

    const add = patch({ op: "add", path: "members", value: [{ value: ann }, { value: ben }] });
    expect((await org.call("PATCH", `/Groups/${id}`, add)).status).toBe(204);
    expect((await org.call("PATCH", `/Groups/${id}`, add)).status).toBe(204); // repeated
    expect(await memberValues(org, id)).toEqual([ann, ben].sort());
    expect(await groupVersion(org, id)).toBe('W/"2"');

    expect((await org.call("PATCH", `/Groups/${id}`, patch({ op: "replace", path: "displayName", value: "Engineering Team" }))).status).toBe(204);
    expect((await org.call("GET", byName("Engineering Team"))).body.totalResults).toBe(1);

    // Removal with a value list removes only the listed members; repeating it changes nothing.
    const remove = patch({ op: "remove", path: "members", value: [{ value: ann }] });
    expect((await org.call("PATCH", `/Groups/${id}`, remove)).status).toBe(204);
    expect((await org.call("PATCH", `/Groups/${id}`, remove)).status).toBe(204);
    expect(await memberValues(org, id)).toEqual([ben]);

    // Update by PUT, as JumpCloud may send it.
    const put = await org.call("PUT", `/Groups/${id}`, { schemas: [GROUP], displayName: "Engineering Team", members: [{ value: ben }, { value: cat }] });
    expect(put.status).toBe(200);
    expect(put.body.members.map((m: { value: string }) => m.value).sort()).toEqual([ben, cat].sort());

    // The user is deactivated when it leaves every bound group; it stays a readable user.
    const deactivated = await org.call("PATCH", `/Users/${ben}`, patch({ op: "replace", path: "active", value: false }));
    expect(deactivated.body.active).toBe(false);

    expect((await org.call("DELETE", `/Groups/${id}`)).status).toBe(204);
    expect((await org.call("GET", byName("Engineering Team"))).body.totalResults).toBe(0);
    expect((await org.call("GET", `/Users/${ben}`)).body.groups).toBeUndefined();
  });
});

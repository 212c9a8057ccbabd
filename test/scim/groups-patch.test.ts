/** PATCH /Groups/{id}: every shape the providers send, applied in order, all or nothing. */
import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg } from "../support/helpers";
import { createGroup, GROUP, groupRows, groupVersion, memberValues, patchBody, patchGroup } from "../support/group-helpers";
import { createUser } from "../support/user-helpers";

async function setup(memberCount = 2, userCount = 4) {
  const org = await newScimOrg();
  const users: { id: string }[] = [];
  for (let i = 0; i < userCount; i++) users.push(await createUser(org, { userName: `user${i}`, displayName: `User ${i}` }));
  const ids = users.map((u) => u.id);
  const group = await createGroup(org, { displayName: "Team", members: ids.slice(0, memberCount).map((value) => ({ value })) });
  return { org, ids, group };
}

const sorted = (ids: string[]) => [...ids].sort();

describe("PATCH members", () => {
  it("adds members; adding an existing member succeeds and changes nothing", async () => {
    const { org, ids, group } = await setup();
    const res = await patchGroup(org, group.id, { op: "add", path: "members", value: [{ value: ids[2] }, { value: ids[3], $ref: null }] });
    expect(res.body).toBeUndefined();
    expect(await memberValues(org, group.id)).toEqual(sorted(ids));
    await patchGroup(org, group.id, { op: "Add", path: "members", value: [{ value: ids[0] }] });
    expect(await groupVersion(org, group.id)).toBe('W/"2"');
  });

  it("accepts a single member object where a list is expected", async () => {
    const { org, ids, group } = await setup(0);
    await patchGroup(org, group.id, { op: "add", path: "members", value: { value: ids[1] } });
    expect(await memberValues(org, group.id)).toEqual([ids[1]]);
  });

  // Not RFC 7644 (which would remove every member): Entra ID and JumpCloud remove members this way.
  it("remove with path members and a value list removes only the listed members", async () => {
    const { org, ids, group } = await setup(3);
    await patchGroup(org, group.id, { op: "Remove", path: "members", value: [{ value: ids[1], $ref: null }] });
    expect(await memberValues(org, group.id)).toEqual(sorted([ids[0], ids[2]]));
    // An empty list removes nothing.
    await patchGroup(org, group.id, { op: "remove", path: "members", value: [] });
    expect(await memberValues(org, group.id)).toEqual(sorted([ids[0], ids[2]]));
  });

  it("removes through members[value eq \"id\"], also several ids joined by or", async () => {
    const { org, ids, group } = await setup(4);
    await patchGroup(org, group.id, { op: "remove", path: `members[value eq "${ids[0]}"]` });
    expect(await memberValues(org, group.id)).toEqual(sorted(ids.slice(1)));
    await patchGroup(org, group.id, { op: "remove", path: `members[value eq "${ids[1]}" or value eq "${ids[2]}"]` });
    expect(await memberValues(org, group.id)).toEqual([ids[3]]);
    await patchGroup(org, group.id, { op: "remove", path: `members[value eq "${ids[3]}"].value` });
    expect(await memberValues(org, group.id)).toEqual([]);
  });

  it("remove of members without a value empties the group", async () => {
    const { org, group } = await setup(3);
    await patchGroup(org, group.id, { op: "remove", path: "members" });
    expect(await memberValues(org, group.id)).toEqual([]);
    expect(await groupVersion(org, group.id)).toBe('W/"2"');
  });

  it("replace of members sets the whole member set", async () => {
    const { org, ids, group } = await setup(2);
    await patchGroup(org, group.id, { op: "replace", path: "members", value: [{ value: ids[2] }, { value: ids[1] }] });
    expect(await memberValues(org, group.id)).toEqual(sorted([ids[1], ids[2]]));
    await patchGroup(org, group.id, { op: "replace", path: "members", value: [] });
    expect(await memberValues(org, group.id)).toEqual([]);
  });

  it("removing a non-member, a deleted user or an unknown id succeeds and changes nothing", async () => {
    const { org, ids, group } = await setup(2);
    expect((await org.call("DELETE", `/Users/${ids[3]}`)).status).toBe(204);
    const before = await groupRows(org.orgId);
    await patchGroup(org, group.id, { op: "remove", path: "members", value: [{ value: ids[2] }, { value: ids[3] }, { value: "nobody" }] });
    await patchGroup(org, group.id, { op: "remove", path: `members[value eq "nobody"]` });
    expect(await groupRows(org.orgId)).toEqual(before);
  });

  it("add or replace with an id that is not a user of this org → 400 invalidValue, nothing applied", async () => {
    const { org, ids, group } = await setup(2);
    const other = await newScimOrg();
    const foreign = await createUser(other, { userName: "foreign" });
    const before = await groupRows(org.orgId);
    for (const op of [
      { op: "add", path: "members", value: [{ value: ids[2] }, { value: "string id 1" }] },
      { op: "replace", path: "members", value: [{ value: foreign.id }] },
      { op: "add", path: `members[value eq "${foreign.id}"]`, value: { value: foreign.id } },
    ]) {
      expectScimError(await org.call("PATCH", `/Groups/${group.id}`, patchBody(op)), 400, "invalidValue");
    }
    expect(await groupRows(org.orgId)).toEqual(before);
  });

  it("adds through a filtered path, creating the member the filter names", async () => {
    const { org, ids, group } = await setup(1);
    await patchGroup(org, group.id, { op: "add", path: `members[value eq "${ids[1]}"]`, value: { value: ids[1] } });
    expect(await memberValues(org, group.id)).toEqual(sorted([ids[0], ids[1]]));
    // Replacing the value of one member swaps it for another.
    await patchGroup(org, group.id, { op: "replace", path: `members[value eq "${ids[0]}"].value`, value: ids[2] });
    expect(await memberValues(org, group.id)).toEqual(sorted([ids[1], ids[2]]));
  });

  it("refuses nested groups in PATCH values", async () => {
    const { org, group } = await setup(1);
    const other = await createGroup(org, { displayName: "Child" });
    const before = await groupRows(org.orgId);
    for (const op of [
      { op: "add", path: "members", value: [{ value: other.id, type: "Group" }] },
      { op: "replace", value: { members: [{ value: other.id, type: "group" }] } },
    ]) {
      expectScimError(await org.call("PATCH", `/Groups/${group.id}`, patchBody(op)), 400, "invalidValue");
    }
    expect(await groupRows(org.orgId)).toEqual(before);
  });
});

describe("PATCH attributes", () => {
  it("renames by path, and by a no-path value that carries the read-only id (Okta)", async () => {
    const { org, group } = await setup(0);
    await patchGroup(org, group.id, { op: "replace", path: "displayName", value: "By Path" });
    expect((await org.call("GET", `/Groups/${group.id}`)).body.displayName).toBe("By Path");
    await patchGroup(org, group.id, { op: "replace", value: { id: group.id, displayName: "By Value" } });
    expect((await org.call("GET", `/Groups/${group.id}`)).body).toMatchObject({ id: group.id, displayName: "By Value" });
  });

  it("replaces the whole group through a no-path value (authentik)", async () => {
    const { org, ids, group } = await setup(2);
    await patchGroup(org, group.id, {
      op: "replace",
      value: { schemas: [GROUP], displayName: "Whole", externalId: "ak-1", members: [{ value: ids[3] }] },
    });
    const res = await org.call("GET", `/Groups/${group.id}`);
    expect(res.body).toMatchObject({ displayName: "Whole", externalId: "ak-1" });
    expect(res.body.members.map((m: { value: string }) => m.value)).toEqual([ids[3]]);
  });

  it("sets and clears externalId; removing displayName is refused", async () => {
    const { org, group } = await setup(0);
    await patchGroup(org, group.id, { op: "add", path: "externalId", value: "e-1" });
    expect((await org.call("GET", `/Groups/${group.id}`)).body.externalId).toBe("e-1");
    await patchGroup(org, group.id, { op: "remove", path: "externalId" });
    expect((await org.call("GET", `/Groups/${group.id}`)).body.externalId).toBeUndefined();
    expectScimError(await org.call("PATCH", `/Groups/${group.id}`, patchBody({ op: "remove", path: "displayName" })), 400, "invalidValue");
    expectScimError(await org.call("PATCH", `/Groups/${group.id}`, patchBody({ op: "replace", path: "displayName", value: null })), 400, "invalidValue");
  });
});

describe("PATCH requests", () => {
  it("apply several operations in order, with capitalised op names", async () => {
    const { org, ids, group } = await setup(2);
    await patchGroup(
      org,
      group.id,
      { op: "Remove", path: "members" },
      { op: "Add", path: "members", value: [{ value: ids[2] }, { value: ids[3] }] },
      { op: "Remove", path: `members[value eq "${ids[2]}"]` },
      { op: "Replace", path: "displayName", value: "Ordered" },
    );
    expect(await memberValues(org, group.id)).toEqual([ids[3]]);
    expect(await groupVersion(org, group.id)).toBe('W/"2"');
  });

  it("apply all operations or none", async () => {
    const { org, ids, group } = await setup(2);
    const before = await groupRows(org.orgId);
    const res = await org.call(
      "PATCH",
      `/Groups/${group.id}`,
      patchBody(
        { op: "replace", path: "displayName", value: "Never" },
        { op: "remove", path: "members", value: [{ value: ids[0] }] },
        { op: "add", path: "members", value: [{ value: "ghost" }] },
      ),
    );
    expectScimError(res, 400, "invalidValue");
    const badPath = await org.call("PATCH", `/Groups/${group.id}`, patchBody({ op: "remove", path: "members" }, { op: "add", path: "nickName", value: "x" }));
    expectScimError(badPath, 400, "invalidPath");
    expect(await groupRows(org.orgId)).toEqual(before);
  });

  it("answers 204 by default and 200 with the projected resource when attributes are asked for", async () => {
    const { org, ids, group } = await setup(1);
    const plain = await org.call("PATCH", `/Groups/${group.id}`, patchBody({ op: "add", path: "members", value: [{ value: ids[1] }] }));
    expect(plain.status).toBe(204);
    expect(plain.body).toBeUndefined();
    const withMembers = await org.call(
      "PATCH",
      `/Groups/${group.id}?attributes=members`,
      patchBody({ op: "add", path: "members", value: [{ value: ids[2] }] }),
    );
    expect(withMembers.status).toBe(200);
    expect(withMembers.headers.get("ETag")).toBe('W/"3"');
    expect(withMembers.body.members.map((m: { value: string }) => m.value).sort()).toEqual(sorted(ids.slice(0, 3)));
    expect(withMembers.body.displayName).toBeUndefined();
    const excluded = await org.call(
      "PATCH",
      `/Groups/${group.id}?excludedAttributes=members`,
      patchBody({ op: "replace", path: "displayName", value: "Shown" }),
    );
    expect(excluded.status).toBe(200);
    expect(excluded.body).toMatchObject({ id: group.id, displayName: "Shown", meta: { version: 'W/"4"' } });
    expect(excluded.body.members).toBeUndefined();
  });

  it("an empty Operations list is a no-op 204", async () => {
    const { org, group } = await setup(1);
    const before = await groupRows(org.orgId);
    expect((await org.call("PATCH", `/Groups/${group.id}`, patchBody())).status).toBe(204);
    expect(await groupRows(org.orgId)).toEqual(before);
  });
});

/**
 * Group members given as bare id strings, as Microsoft's reference collection sends them
 * (`"value": "<id>"`, `["<id>", …]`), through the whole stack: accepted as those members.
 */
import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg, viaApp } from "../support/helpers";
import { createGroup, groupRows, memberValues, patchBody, patchGroup } from "../support/group-helpers";
import { createUser } from "../support/user-helpers";

describe("members as bare ids", () => {
  it("are accepted in POST, PUT and every PATCH members operation", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const [a, b, c] = await Promise.all(["a", "b", "c"].map((n) => createUser(org, { userName: n })));
    const group = await createGroup(org, { displayName: "G", members: [a.id, b.id] });
    expect(await memberValues(org, group.id)).toEqual([a.id, b.id].sort());

    await patchGroup(org, group.id, { op: "remove", path: "members", value: [a.id] });
    expect(await memberValues(org, group.id)).toEqual([b.id]);
    await patchGroup(org, group.id, { op: "Add", path: "members", value: c.id });
    expect(await memberValues(org, group.id)).toEqual([b.id, c.id].sort());
    await patchGroup(org, group.id, { op: "replace", path: "members", value: [a.id, { value: c.id }] });
    expect(await memberValues(org, group.id)).toEqual([a.id, c.id].sort());
    await patchGroup(org, group.id, { op: "replace", path: `members[value eq "${a.id}"]`, value: b.id });
    expect(await memberValues(org, group.id)).toEqual([b.id, c.id].sort());

    const put = await org.call("PUT", `/Groups/${group.id}`, { displayName: "G", members: a.id });
    expect(put.status).toBe(200);
    expect(put.body.members.map((m: { value: string }) => m.value)).toEqual([a.id]);
  });

  it("still refuse an id that is not a user of the organization, and shapes that are not ids, changing nothing", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const other = await newScimOrg({ send: viaApp() });
    const stranger = await createUser(other, { userName: "stranger" });
    const a = await createUser(org, { userName: "a" });
    const group = await createGroup(org, { displayName: "G", members: [a.id] });
    const before = await groupRows(org.orgId);
    expectScimError(await org.call("PATCH", `/Groups/${group.id}`, patchBody({ op: "add", path: "members", value: [stranger.id] })), 400, "invalidValue");
    expectScimError(await org.call("POST", "/Groups", { displayName: "H", members: ["no-such-user"] }), 400, "invalidValue");
    const wrong = await org.call("PATCH", `/Groups/${group.id}`, patchBody({ op: "add", path: "members", value: [true] }));
    expectScimError(wrong, 400, "invalidValue");
    expect(wrong.body.detail).toBe("'members[]' must be an object or an id string, not true");
    expect(await groupRows(org.orgId)).toEqual(before);
  });
});

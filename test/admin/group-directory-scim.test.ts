// The admin API's directory follows what identity providers do through SCIM /Groups and /Users:
// member counts, members, users' groups, renames, removals and deletions, also while someone pages.
import { describe, expect, it } from "vitest";
import { adminGet, collectPages } from "../support/directory-helpers";
import { admin, newScimOrg, type ScimClient } from "../support/helpers";
import { createGroup, patchGroup } from "../support/group-helpers";
import { provision, scimSetActive } from "../support/setup-helpers";

async function orgWithUsers(names: string[]) {
  const org = await newScimOrg();
  const ids: Record<string, string> = {};
  for (const name of names) ids[name] = await provision(org, name);
  return { org, ids };
}

const add = (ids: string[]) => ({ op: "add", path: "members", value: ids.map((value) => ({ value })) });
const remove = (ids: string[]) => ({ op: "remove", path: "members", value: ids.map((value) => ({ value })) });

async function groupsListed(org: ScimClient) {
  const res = await adminGet(`/orgs/${org.orgId}/groups`);
  expect(res.status).toBe(200);
  return res.body.groups.map((g: any) => [g.displayName, g.memberCount]);
}

async function memberNames(org: ScimClient, groupId: string, limit = 50) {
  const members = await collectPages<{ userName: string }>(`/orgs/${org.orgId}/groups/${groupId}/members`, "members", { limit });
  return members.map((m) => m.userName).sort();
}

async function groupsOfUser(org: ScimClient, userId: string) {
  const res = await admin("GET", `/orgs/${org.orgId}/users/${userId}`);
  return { names: res.body.groups.map((g: any) => g.displayName), count: res.body.groupCount };
}

describe("the group directory, provisioned through SCIM", () => {
  it("shows member counts, members and users' groups as PATCH adds and removes members", async () => {
    const { org, ids } = await orgWithUsers(["ann", "ben", "cat", "dan"]);
    const sales = await createGroup(org, { displayName: "Sales", members: [{ value: ids.ann }, { value: ids.ben }] });
    const ops = await createGroup(org, { displayName: "ops", members: [] });
    expect(await groupsListed(org)).toEqual([["ops", 0], ["Sales", 2]]);

    await patchGroup(org, ops.id, add([ids.ann, ids.cat, ids.dan]));
    await patchGroup(org, sales.id, remove([ids.ben]), add([ids.dan]));
    await patchGroup(org, ops.id, add([ids.ann])); // repeated, as Entra re-sends Add
    expect(await groupsListed(org)).toEqual([["ops", 3], ["Sales", 2]]);
    expect(await memberNames(org, ops.id, 1)).toEqual(["ann", "cat", "dan"]);
    expect(await memberNames(org, sales.id)).toEqual(["ann", "dan"]);
    expect(await groupsOfUser(org, ids.ann)).toEqual({ names: ["ops", "Sales"], count: 2 });
    expect(await groupsOfUser(org, ids.ben)).toEqual({ names: [], count: 0 });
  });

  it("follows renames, deactivations, user deletion and group deletion", async () => {
    const { org, ids } = await orgWithUsers(["eve", "fay"]);
    const group = await createGroup(org, { displayName: "Zeta", members: [{ value: ids.eve }, { value: ids.fay }] });
    await createGroup(org, { displayName: "Beta", members: [{ value: ids.eve }] });

    // Okta renames with a path-less replace; the list order follows the new name.
    await patchGroup(org, group.id, { op: "replace", value: { id: group.id, displayName: "Alpha" } });
    expect(await groupsListed(org)).toEqual([["Alpha", 2], ["Beta", 1]]);
    expect(await groupsOfUser(org, ids.eve)).toEqual({ names: ["Alpha", "Beta"], count: 2 });

    await scimSetActive(org, ids.fay, false);
    const members = (await adminGet(`/orgs/${org.orgId}/groups/${group.id}/members`)).body.members;
    expect(members.find((m: any) => m.id === ids.fay)).toMatchObject({ userName: "fay", active: false, setupState: "pending" });

    expect((await org.call("DELETE", `/Users/${ids.fay}`)).status).toBe(204);
    expect(await groupsListed(org)).toEqual([["Alpha", 1], ["Beta", 1]]);
    expect(await memberNames(org, group.id)).toEqual(["eve"]);

    expect((await org.call("DELETE", `/Groups/${group.id}`)).status).toBe(204);
    expect(await groupsListed(org)).toEqual([["Beta", 1]]);
    expect((await admin("GET", `/orgs/${org.orgId}/groups/${group.id}/members`)).status).toBe(404);
    expect(await groupsOfUser(org, ids.eve)).toEqual({ names: ["Beta"], count: 1 });
  });

  it("pages members without duplicates or gaps while the identity provider adds and removes members", async () => {
    const names = Array.from({ length: 30 }, (_, i) => `p${String(i).padStart(2, "0")}`);
    const { org, ids } = await orgWithUsers(names);
    const all = names.map((n) => ids[n]);
    const sorted = [...all].sort();
    const initial = sorted.filter((_, i) => i % 2 === 0); // every other user id, in id order
    const group = await createGroup(org, { displayName: "Churn", members: initial.map((value) => ({ value })) });

    const joined = sorted.filter((_, i) => i % 2 === 1);
    const left = [initial[3], initial[12]]; // one before the first page's end, one after
    let afterFirstPage: string[] = [];
    const seen = await collectPages<{ id: string }>(`/orgs/${org.orgId}/groups/${group.id}/members`, "members", { limit: 5 }, {
      between: async (page) => {
        if (page !== 1) return;
        await patchGroup(org, group.id, add(joined), remove(left));
        afterFirstPage = (await adminGet(`/orgs/${org.orgId}/groups/${group.id}/members`, { limit: 200 })).body.members.map((m: any) => m.id);
      },
    });
    const got = seen.map((m) => m.id);
    expect(new Set(got).size).toBe(got.length);
    // The first page as it was, then exactly the members after its last id as they are now.
    const firstPage = initial.slice(0, 5);
    expect(got).toEqual([...firstPage, ...afterFirstPage.filter((id) => id > firstPage[4])]);
    expect((await adminGet(`/orgs/${org.orgId}/groups/${group.id}`)).body.memberCount).toBe(afterFirstPage.length);
    expect(afterFirstPage).toHaveLength(initial.length + joined.length - left.length);
  });

  it("keeps organizations apart: another org's group answers 404, also for its members", async () => {
    const a = await orgWithUsers(["same"]);
    const b = await orgWithUsers(["same"]);
    const groupA = await createGroup(a.org, { displayName: "Same", members: [{ value: a.ids.same }] });
    const groupB = await createGroup(b.org, { displayName: "Same", members: [{ value: b.ids.same }] });
    expect((await admin("GET", `/orgs/${a.org.orgId}/groups/${groupB.id}/members`)).status).toBe(404);
    expect((await admin("GET", `/orgs/${b.org.orgId}/groups/${groupA.id}`)).status).toBe(404);
    expect((await adminGet(`/orgs/${a.org.orgId}/groups`, { q: "same" })).body.groups.map((g: any) => g.id)).toEqual([groupA.id]);
    expect((await adminGet(`/orgs/${a.org.orgId}/groups/${groupA.id}/members`)).body.members.map((m: any) => m.id)).toEqual([a.ids.same]);
    expect((await groupsOfUser(a.org, a.ids.same)).names).toEqual(["Same"]);
  });
});

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { chunks, MEMBER_CHUNK_BYTES } from "../../src/db/group-writes";
import { orgWriter } from "../../src/org-writer/client";
import { instrumentWriter } from "../support/group-helpers";
import { admin, HEAVY_TEST_TIMEOUT } from "../support/helpers";
import { groupRow, memberIds, seedMembers, seedUsers } from "../support/seed";

async function newOrg() {
  return (await admin("POST", "/orgs", { name: "Writer org" })).body.id as string;
}

async function newGroup(orgId: string, members: string[] = [], displayName = `G ${crypto.randomUUID()}`) {
  const result = await orgWriter(env, orgId).createGroup(orgId, { displayName, externalId: null, members });
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

describe("OrgWriter: membership writes", () => {
  it("creates a group with members and refuses ids that are not users of the org", async () => {
    const orgId = await newOrg();
    const other = await newOrg();
    const [a, b] = await seedUsers(orgId, 2);
    const [foreign] = await seedUsers(other, 1);
    const group = await newGroup(orgId, [a, b, a]);
    expect(group.memberCount).toBe(2);
    expect(await memberIds(group.id)).toEqual([a, b].sort());

    const refused = await orgWriter(env, orgId).createGroup(orgId, {
      displayName: "Refused",
      externalId: null,
      members: [a, foreign, "nope"],
    });
    expect(refused).toMatchObject({ ok: false, status: 400, scimType: "invalidValue" });
    const count = await env.DB.prepare("SELECT count(*) AS n FROM groups WHERE org_id = ?").bind(orgId).first("n");
    expect(count).toBe(1);
  });

  it("answers 409 uniqueness for a displayName taken case-insensitively", async () => {
    const orgId = await newOrg();
    await newGroup(orgId, [], "Engineering");
    const dup = await orgWriter(env, orgId).createGroup(orgId, { displayName: "ENGINEERING", externalId: null, members: [] });
    expect(dup).toMatchObject({ ok: false, status: 409, scimType: "uniqueness" });
    const other = await newGroup(orgId, [], "Sales");
    const rename = await orgWriter(env, orgId).patchGroup(orgId, other.id, { displayName: "engineering", memberOps: [] }, undefined);
    expect(rename).toMatchObject({ ok: false, status: 409 });
    expect((await groupRow(other.id))!.display_name).toBe("Sales");
  });

  it("bumps the version once per changing write and not at all for a no-op", async () => {
    const orgId = await newOrg();
    const [a, b, c] = await seedUsers(orgId, 3);
    const group = await newGroup(orgId, [a]);
    const writer = orgWriter(env, orgId);
    const patch = (memberOps: any[]) => writer.patchGroup(orgId, group.id, { memberOps }, undefined);

    await patch([{ kind: "add", ids: [a] }]); // Entra re-sends Add for present members
    expect((await groupRow(group.id))!.version).toBe(1);
    await patch([{ kind: "remove", ids: ["not-a-member", c] }]);
    expect((await groupRow(group.id))!.version).toBe(1);
    await patch([{ kind: "add", ids: [b, c] }, { kind: "remove", ids: [a] }]);
    expect(await groupRow(group.id)).toMatchObject({ version: 2, member_count: 2 });
    expect(await memberIds(group.id)).toEqual([b, c].sort());
    await patch([{ kind: "replace", ids: [c, b] }]); // same set
    expect((await groupRow(group.id))!.version).toBe(2);
    await patch([{ kind: "removeAll" }]);
    expect(await groupRow(group.id)).toMatchObject({ version: 3, member_count: 0 });
    expect(await memberIds(group.id)).toEqual([]);
  });

  it("applies all ops of a request or none", async () => {
    const orgId = await newOrg();
    const [a, b] = await seedUsers(orgId, 2);
    const group = await newGroup(orgId, [a]);
    const result = await orgWriter(env, orgId).patchGroup(
      orgId,
      group.id,
      { displayName: "Renamed", memberOps: [{ kind: "remove", ids: [a] }, { kind: "add", ids: [b, "ghost"] }] },
      undefined,
    );
    expect(result).toMatchObject({ ok: false, status: 400, scimType: "invalidValue" });
    expect(await memberIds(group.id)).toEqual([a]);
    expect(await groupRow(group.id)).toMatchObject({ version: 1, display_name: group.displayName });
  });
});

describe("OrgWriter: serialisation", () => {
  it("lets exactly one of 50 concurrent writes with the same If-Match through", async () => {
    const orgId = await newOrg();
    const users = await seedUsers(orgId, 50);
    const group = await newGroup(orgId);
    const stats = await instrumentWriter(orgId);
    const writer = orgWriter(env, orgId);
    const results = await Promise.all(
      users.map((id) => writer.patchGroup(orgId, group.id, { memberOps: [{ kind: "add", ids: [id] }] }, [1])),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.status === 412)).toHaveLength(49);
    expect(stats.maxInFlight).toBe(1);
    expect(await groupRow(group.id)).toMatchObject({ version: 2, member_count: 1 });
  });

  it("loses none of 200 concurrent single-member adds, one version each, one batch in flight", async () => {
    const orgId = await newOrg();
    const users = await seedUsers(orgId, 200);
    const group = await newGroup(orgId);
    const stats = await instrumentWriter(orgId);
    const writer = orgWriter(env, orgId);
    const results = await Promise.all(
      users.map((id) => writer.patchGroup(orgId, group.id, { memberOps: [{ kind: "add", ids: [id] }] }, undefined)),
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(await memberIds(group.id)).toEqual([...users].sort());
    expect(await groupRow(group.id)).toMatchObject({ version: 201, member_count: 200 });
    expect(stats.batches).toBe(200);
    expect(stats.maxInFlight).toBe(1);
  }, HEAVY_TEST_TIMEOUT);

  it("leaves no dangling membership when a user is deleted while being added to groups", async () => {
    const orgId = await newOrg();
    const [victim, bystander] = await seedUsers(orgId, 2);
    const groups = await Promise.all(Array.from({ length: 10 }, () => newGroup(orgId, [bystander])));
    const writer = orgWriter(env, orgId);
    const adds = groups.map((g) => writer.patchGroup(orgId, g.id, { memberOps: [{ kind: "add", ids: [victim] }] }, undefined));
    const deletion = writer.deleteUser(orgId, victim, undefined);
    const results = await Promise.all([...adds, deletion]);
    // Adds queued before the delete succeed; adds after it are refused as unknown users; none fail otherwise.
    for (const r of results) expect(r.ok || (r.status === 400 && r.scimType === "invalidValue")).toBe(true);
    expect(results.at(-1)!.ok).toBe(true);
    const dangling = await env.DB.prepare("SELECT count(*) AS n FROM group_members WHERE user_id = ?").bind(victim).first("n");
    expect(dangling).toBe(0);
    for (const g of groups) expect((await groupRow(g.id))!.member_count).toBe(1);
  });
});

describe("OrgWriter: user deletion", () => {
  it("removes the user's memberships and bumps each group it left by one", async () => {
    const orgId = await newOrg();
    const [a, b] = await seedUsers(orgId, 2);
    const g1 = await newGroup(orgId, [a, b]);
    const g2 = await newGroup(orgId, [a]);
    const g3 = await newGroup(orgId, [b]);
    const result = await orgWriter(env, orgId).deleteUser(orgId, a, undefined);
    expect(result.ok).toBe(true);
    expect(await groupRow(g1.id)).toMatchObject({ version: 2, member_count: 1 });
    expect(await groupRow(g2.id)).toMatchObject({ version: 2, member_count: 0 });
    expect(await groupRow(g3.id)).toMatchObject({ version: 1, member_count: 1 });
    expect(await orgWriter(env, orgId).deleteUser(orgId, a, undefined)).toMatchObject({ ok: false, status: 404 });
  });

  it("refuses another org's user as if it did not exist", async () => {
    const orgA = await newOrg();
    const orgB = await newOrg();
    const [a] = await seedUsers(orgA, 1);
    expect(await orgWriter(env, orgB).deleteUser(orgB, a, undefined)).toMatchObject({ ok: false, status: 404 });
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE id = ?").bind(a).first("n")).toBe(1);
  });
});

describe("id sets as json_each parameters", () => {
  it("are split at 40,000 ids and before a parameter would reach D1's 2,000,000-byte string limit", () => {
    const uuids = Array.from({ length: 50_000 }, () => crypto.randomUUID());
    expect(chunks(uuids).map((c) => c.length)).toEqual([40_000, 10_000]);
    const long = Array.from({ length: 20_000 }, (_, i) => `${"x".repeat(200)}${i}`);
    const parts = chunks(long);
    expect(parts.flat()).toEqual(long);
    for (const part of parts) expect(new TextEncoder().encode(JSON.stringify(part)).length).toBeLessThanOrEqual(MEMBER_CHUNK_BYTES);
    expect(parts.length).toBeGreaterThan(1);
    expect(chunks([])).toEqual([]);
  });
});

describe("OrgWriter: a 50,000-member group", () => {
  it("adds and removes one member with a fixed number of statements", async () => {
    const orgId = await newOrg();
    const users = await seedUsers(orgId, 50_001);
    const group = await newGroup(orgId);
    await seedMembers(orgId, group.id, users.slice(0, 50_000));
    const newcomer = users[50_000];
    const stats = await instrumentWriter(orgId);
    const writer = orgWriter(env, orgId);

    expect((await writer.patchGroup(orgId, group.id, { memberOps: [{ kind: "add", ids: [newcomer] }] }, undefined)).ok).toBe(true);
    const addStatements = stats.statements;
    expect(stats.batches).toBe(1);
    expect((await writer.patchGroup(orgId, group.id, { memberOps: [{ kind: "remove", ids: [users[7]] }] }, undefined)).ok).toBe(true);
    const removeStatements = stats.statements - addStatements;
    // group read + member-state read + one batch of (membership event + membership statement +
    // group update), the same as for an empty group: nothing scales with the 50,000 members.
    expect(addStatements).toBe(5);
    expect(removeStatements).toBe(5);
    expect(await groupRow(group.id)).toMatchObject({ member_count: 50_000, version: 3 });
  }, HEAVY_TEST_TIMEOUT);
});

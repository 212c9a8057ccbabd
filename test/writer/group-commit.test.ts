/**
 * Group commit in the OrgWriter: writes queued behind a batch in flight go to D1 together as the next
 * batch, each planned against the state the earlier ones leave and answered with its own result.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { orgWriter } from "../../src/org-writer/client";
import type { OrgWriter } from "../../src/org-writer/writer";
import { instrumentWriter } from "../support/group-helpers";
import { admin } from "../support/helpers";
import { groupRow, memberIds, seedUsers } from "../support/seed";

async function newOrg() {
  return (await admin("POST", "/orgs", { name: "Group commit org" })).body.id as string;
}

async function newGroup(orgId: string, members: string[] = [], displayName = `G ${crypto.randomUUID()}`) {
  const result = await orgWriter(env, orgId).createGroup(orgId, { displayName, externalId: null, members });
  if (!result.ok) throw new Error(result.detail);
  return result.value;
}

const add = (ids: string[]) => ({ memberOps: [{ kind: "add" as const, ids }] });

describe("OrgWriter: group commit", () => {
  it("commits concurrent writes to different groups in fewer batches, each with its own answer", async () => {
    const orgId = await newOrg();
    const users = await seedUsers(orgId, 20);
    const groups = await Promise.all(Array.from({ length: 20 }, () => newGroup(orgId)));
    const stats = await instrumentWriter(orgId);
    const writer = orgWriter(env, orgId);
    const results = await Promise.all(
      groups.map((g, i) => {
        if (i === 3) return writer.patchGroup(orgId, g.id, add([users[i]]), [7]); // stale If-Match
        if (i === 5) return writer.patchGroup(orgId, g.id, add([users[i], "ghost"]), undefined); // unknown member
        if (i === 8) return writer.patchGroup(orgId, crypto.randomUUID(), add([users[i]]), undefined); // no such group
        return writer.patchGroup(orgId, g.id, add([users[i]]), [1]);
      }),
    );
    expect(results[3]).toMatchObject({ ok: false, status: 412 });
    expect(results[5]).toMatchObject({ ok: false, status: 400, scimType: "invalidValue" });
    expect(results[8]).toMatchObject({ ok: false, status: 404 });
    for (const [i, g] of groups.entries()) {
      const refused = i === 3 || i === 5 || i === 8;
      if (!refused) expect(results[i]).toMatchObject({ ok: true, value: { id: g.id, version: 2, memberCount: 1 } });
      expect(await memberIds(g.id)).toEqual(refused ? [] : [users[i]]);
      expect(await groupRow(g.id)).toMatchObject({ version: refused ? 1 : 2, member_count: refused ? 0 : 1 });
    }
    // 17 writes landed, never more than one batch in flight, and queued writes shared batches.
    expect(stats.maxInFlight).toBe(1);
    expect(stats.batches).toBeLessThan(17);
  });

  it("commits concurrent user deletions together; every group they leave is counted down once per user", async () => {
    const orgId = await newOrg();
    const users = await seedUsers(orgId, 21);
    const group = await newGroup(orgId, users);
    const stats = await instrumentWriter(orgId);
    const writer = orgWriter(env, orgId);
    const results = await Promise.all(users.slice(0, 20).map((id) => writer.deleteUser(orgId, id, undefined)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(stats.batches).toBeLessThan(20);
    expect(await memberIds(group.id)).toEqual([users[20]]);
    expect(await groupRow(group.id)).toMatchObject({ member_count: 1, version: 21 });
    const left = await env.DB.prepare("SELECT count(*) AS n FROM users WHERE org_id = ?").bind(orgId).first("n");
    expect(left).toBe(1);
  });

  it("a batch that fails on one write's uniqueness is rerun one write at a time: 409 for it, the others land", async () => {
    const orgId = await newOrg();
    const users = await seedUsers(orgId, 8);
    await newGroup(orgId, [], "Taken");
    const renamed = await newGroup(orgId, [], "Renamed later");
    const groups = await Promise.all(Array.from({ length: 8 }, () => newGroup(orgId)));
    const writer = orgWriter(env, orgId);
    const results = await Promise.all([
      ...groups.slice(0, 4).map((g, i) => writer.patchGroup(orgId, g.id, add([users[i]]), undefined)),
      writer.patchGroup(orgId, renamed.id, { displayName: "TAKEN", memberOps: [{ kind: "add", ids: [users[7]] }] }, undefined),
      ...groups.slice(4).map((g, i) => writer.patchGroup(orgId, g.id, add([users[4 + i]]), undefined)),
    ]);
    expect(results[4]).toMatchObject({ ok: false, status: 409, scimType: "uniqueness" });
    expect(await groupRow(renamed.id)).toMatchObject({ display_name: "Renamed later", version: 1, member_count: 0 });
    expect(await memberIds(renamed.id)).toEqual([]);
    for (const [i, g] of groups.entries()) {
      expect(await memberIds(g.id)).toEqual([users[i]]);
      expect(await groupRow(g.id)).toMatchObject({ version: 2, member_count: 1 });
    }
  });

  it("adds queued behind a user's deletion see it: refused as unknown, none left dangling", async () => {
    const orgId = await newOrg();
    const [victim, other] = await seedUsers(orgId, 2);
    const groups = await Promise.all(Array.from({ length: 6 }, () => newGroup(orgId)));
    const writer = orgWriter(env, orgId);
    const before = groups.slice(0, 3).map((g) => writer.patchGroup(orgId, g.id, add([victim, other]), undefined));
    const deletion = writer.deleteUser(orgId, victim, undefined);
    const after = groups.slice(3).map((g) => writer.patchGroup(orgId, g.id, add([victim, other]), undefined));
    const results = await Promise.all([...before, deletion, ...after]);
    expect(results.slice(0, 4).every((r) => r.ok)).toBe(true);
    for (const r of results.slice(4)) expect(r).toMatchObject({ ok: false, status: 400, scimType: "invalidValue" });
    for (const g of groups.slice(0, 3)) {
      expect(await memberIds(g.id)).toEqual([other]);
      // Added (version 2), then left by the deleted user (version 3).
      expect(await groupRow(g.id)).toMatchObject({ member_count: 1, version: 3 });
    }
    for (const g of groups.slice(3)) expect(await groupRow(g.id)).toMatchObject({ member_count: 0, version: 1 });
  });

  it("with group commit off (maxWritesPerBatch 1), every write is a batch of its own", async () => {
    const orgId = await newOrg();
    const users = await seedUsers(orgId, 10);
    const groups = await Promise.all(Array.from({ length: 10 }, () => newGroup(orgId)));
    await runInDurableObject(orgWriter(env, orgId), (object) => {
      (object as unknown as { maxWritesPerBatch: number }).maxWritesPerBatch = 1;
    });
    const stats = await instrumentWriter(orgId);
    const writer = orgWriter(env, orgId);
    const results = await Promise.all(groups.map((g, i) => writer.patchGroup(orgId, g.id, add([users[i]]), undefined)));
    expect(results.every((r) => r.ok)).toBe(true);
    expect(stats.batches).toBe(10);
    await runInDurableObject(orgWriter(env, orgId), (object) => {
      (object as unknown as OrgWriter & { maxWritesPerBatch: number }).maxWritesPerBatch = 50;
    });
  });
});

/**
 * The transactional outbox (issue 14): every change stores its events in its own D1 batch, numbered
 * without gaps per organization in commit order; no-op and refused writes store none.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { orgWriter } from "../../src/org-writer/client";
import { admin, HEAVY_TEST_TIMEOUT, newScimOrg, type ScimClient } from "../support/helpers";
import { CORE, ENT, patchBody } from "../support/user-helpers";
import { GROUP } from "../support/group-helpers";
import { seedGroup, seedMembers, seedUsers } from "../support/seed";
import { complete, linkToken, testBundle } from "../support/setup-helpers";

interface Row {
  id: string;
  sequence: number;
  type: string;
  data: any;
}

async function eventsOf(orgId: string): Promise<Row[]> {
  const { results } = await env.DB.prepare("SELECT id, sequence, type, data FROM events WHERE org_id = ? ORDER BY sequence")
    .bind(orgId)
    .all<{ id: string; sequence: number; type: string; data: string }>();
  return results.map((r) => ({ ...r, data: JSON.parse(r.data) }));
}

const types = (rows: Row[]) => rows.map((r) => r.type);

function expectGapless(rows: Row[]) {
  expect(rows.map((r) => r.sequence)).toEqual(rows.map((_, i) => i + 1));
  expect(new Set(rows.map((r) => r.id)).size).toBe(rows.length);
  for (const r of rows) expect(r.id).toMatch(/^[0-9a-f]{32}$/);
}

async function newUser(org: ScimClient, userName: string, extra: Record<string, unknown> = {}) {
  const res = await org.call("POST", "/Users", { schemas: [CORE], userName, active: true, ...extra });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; userName: string };
}

describe("events of user writes", () => {
  it("created, updated with the changed attributes, deactivated, reactivated, deleted — and nothing for a no-op", async () => {
    const org = await newScimOrg();
    const user = await newUser(org, "ada@example.com", { displayName: "Ada" });
    const patch = (...ops: unknown[]) => org.call("PATCH", `/Users/${user.id}`, patchBody(...ops));
    expect((await patch({ op: "replace", path: "displayName", value: "Ada L." }, { op: "add", path: `${ENT}:department`, value: "R&D" })).status).toBe(200);
    // The same value again writes nothing, so it emits nothing.
    expect((await patch({ op: "replace", path: "displayName", value: "Ada L." })).status).toBe(200);
    expect((await patch({ op: "replace", path: "active", value: false })).status).toBe(200);
    expect((await patch({ op: "replace", path: "active", value: true })).status).toBe(200);
    expect((await org.call("DELETE", `/Users/${user.id}`)).status).toBe(204);

    const rows = await eventsOf(org.orgId);
    expect(types(rows)).toEqual(["user.created", "user.updated", "user.deactivated", "user.reactivated", "user.deleted"]);
    expectGapless(rows);
    const [created, updated, deactivated] = rows;
    // The resource as SCIM renders it, without groups.
    expect(created.data.resource).toMatchObject({ id: user.id, userName: "ada@example.com", displayName: "Ada", active: true });
    expect(created.data.resource.meta).toMatchObject({ resourceType: "User", version: 'W/"1"' });
    expect(created.data.resource.meta.location).toMatch(new RegExp(`/scim/v2/Users/${user.id}$`));
    expect(created.data.resource.groups).toBeUndefined();
    expect(updated.data.changedAttributes).toEqual(["displayName", `${ENT}:department`]);
    expect(updated.data.resource).toMatchObject({ displayName: "Ada L.", [ENT]: { department: "R&D" } });
    expect(deactivated.data).toMatchObject({ changedAttributes: ["active"], resource: { active: false } });
  });

  it("a refused or failed write stores neither the change nor an event", async () => {
    const org = await newScimOrg();
    const ada = await newUser(org, "ada@example.com");
    await newUser(org, "grace@example.com");
    // The batch fails on the unique index: no user, no event.
    expect((await org.call("POST", "/Users", { schemas: [CORE], userName: "ADA@example.com" })).status).toBe(409);
    // A rename onto a taken userName fails inside the write's own batch.
    expect((await org.call("PATCH", `/Users/${ada.id}`, patchBody({ op: "replace", path: "userName", value: "grace@example.com" }))).status).toBe(409);
    // If-Match refuses before anything is written.
    expect((await org.call("PATCH", `/Users/${ada.id}`, patchBody({ op: "replace", path: "displayName", value: "x" }), { "If-Match": 'W/"9"' })).status).toBe(412);
    const rows = await eventsOf(org.orgId);
    expect(types(rows)).toEqual(["user.created", "user.created"]);
    const stored = await env.DB.prepare("SELECT user_name, version FROM users WHERE id = ?").bind(ada.id).first();
    expect(stored).toEqual({ user_name: "ada@example.com", version: 1 });
  });
});

describe("events of group and membership writes", () => {
  it("one event per user per membership change; a group's own changes apart", async () => {
    const org = await newScimOrg();
    const [a, b, c] = [await newUser(org, "a@x.test"), await newUser(org, "b@x.test"), await newUser(org, "c@x.test")];
    const created = await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "Eng", members: [{ value: a.id }, { value: b.id }] });
    expect(created.status).toBe(201);
    const gid = created.body.id;
    const patch = (...ops: unknown[]) => org.call("PATCH", `/Groups/${gid}`, patchBody(...ops));
    expect((await patch({ op: "add", path: "members", value: [{ value: c.id }, { value: a.id }] })).status).toBeLessThan(300);
    // Entra re-sends adds of present members: nothing changes, nothing is emitted.
    expect((await patch({ op: "add", path: "members", value: [{ value: c.id }] })).status).toBeLessThan(300);
    expect((await patch({ op: "remove", path: `members[value eq "${b.id}"]` })).status).toBeLessThan(300);
    expect((await patch({ op: "replace", path: "displayName", value: "Engineering" })).status).toBeLessThan(300);
    // A PUT replaces the members: a leaves, b joins, c stays.
    const put = await org.call("PUT", `/Groups/${gid}`, { schemas: [GROUP], displayName: "Engineering", members: [{ value: b.id }, { value: c.id }] });
    expect(put.status).toBe(200);

    const rows = (await eventsOf(org.orgId)).slice(3); // after the three user.created
    const summary = rows.map((r) => (r.type.startsWith("group.user_") ? `${r.type}:${r.data.user.userName}` : r.type));
    expect(summary).toEqual([
      "group.created",
      "group.user_added:a@x.test",
      "group.user_added:b@x.test",
      "group.user_added:c@x.test",
      "group.user_removed:b@x.test",
      "group.updated",
      "group.user_removed:a@x.test",
      "group.user_added:b@x.test",
    ]);
    expectGapless(await eventsOf(org.orgId));
    expect(rows[0].data.resource).toMatchObject({ id: gid, displayName: "Eng", meta: { resourceType: "Group" } });
    expect(rows[0].data.resource.members).toBeUndefined();
    expect(rows[1].data).toEqual({ group: { id: gid, displayName: "Eng" }, user: { id: a.id, userName: "a@x.test" } });
    expect(rows[5].data).toMatchObject({ changedAttributes: ["displayName"], resource: { displayName: "Engineering" } });
  });

  it("deleting a user emits one group.user_removed per group it was in, then user.deleted; deleting a group only group.deleted", async () => {
    const org = await newScimOrg();
    const ada = await newUser(org, "ada@x.test");
    const g1 = (await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "One", members: [{ value: ada.id }] })).body.id;
    const g2 = (await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "Two", members: [{ value: ada.id }] })).body.id;
    const before = (await eventsOf(org.orgId)).length;
    expect((await org.call("DELETE", `/Users/${ada.id}`)).status).toBe(204);
    expect((await org.call("DELETE", `/Groups/${g1}`)).status).toBe(204);
    const rows = (await eventsOf(org.orgId)).slice(before);
    expect(rows.map((r) => (r.type === "group.user_removed" ? `${r.type}:${r.data.group.displayName}` : r.type)).sort()).toEqual(
      ["group.deleted", "group.user_removed:One", "group.user_removed:Two", "user.deleted"].sort(),
    );
    expect(types(rows).indexOf("user.deleted")).toBe(2); // after both removals
    expect(rows[2].data.resource).toMatchObject({ id: ada.id, userName: "ada@x.test" });
    expect(rows[3].data.resource).toMatchObject({ id: g1, displayName: "One" });
    // One removal per group the user was in, each naming that group and the user.
    const removals = rows.filter((r) => r.type === "group.user_removed");
    expect(removals.map((r) => r.data.group.id).sort()).toEqual([g1, g2].sort());
    for (const r of removals) expect(r.data.user).toEqual({ id: ada.id, userName: "ada@x.test" });
  });

  it("a 50,000-member replace stays within D1's limits: one event per member, numbered without gaps", async () => {
    const org = await newScimOrg();
    const users = await seedUsers(org.orgId, 50_000);
    const groupId = await seedGroup(org.orgId, "Everyone");
    await seedMembers(org.orgId, groupId, users.slice(0, 100));
    const writer = orgWriter(env, org.orgId);
    // Keep members 50..99, drop 0..49, add 100..49,999: 49,900 joins across two JSON chunks.
    const result = await writer.replaceGroup(org.orgId, groupId, { displayName: "Everyone", externalId: null, members: users.slice(50) }, undefined);
    expect(result.ok).toBe(true);
    const counts = await env.DB.prepare(
      "SELECT type, count(*) AS n, min(sequence) AS lo, max(sequence) AS hi FROM events WHERE org_id = ? GROUP BY type ORDER BY type",
    )
      .bind(org.orgId)
      .all();
    expect(counts.results).toEqual([
      { type: "group.user_added", n: 49_900, lo: 51, hi: 49_950 },
      { type: "group.user_removed", n: 50, lo: 1, hi: 50 },
    ]);
  }, HEAVY_TEST_TIMEOUT);
});

describe("sequences", () => {
  it("stay gapless and unique under 200 concurrent writes through both write paths", async () => {
    const org = await newScimOrg();
    const users = await seedUsers(org.orgId, 100);
    const groupId = await seedGroup(org.orgId, "Crowd");
    const writer = orgWriter(env, org.orgId);
    const results = await Promise.all([
      // 100 direct user creates (the Worker's own batches) …
      ...Array.from({ length: 100 }, (_, i) => org.call("POST", "/Users", { schemas: [CORE], userName: `c${i}@x.test` }).then((r) => r.status)),
      // … racing 100 membership adds through the OrgWriter.
      ...users.map((id) => writer.patchGroup(org.orgId, groupId, { memberOps: [{ kind: "add", ids: [id] }] }, undefined).then((r) => (r.ok ? 200 : 500))),
    ]);
    expect(results.filter((s) => s >= 300)).toEqual([]);
    const rows = await eventsOf(org.orgId);
    expect(rows.length).toBe(200);
    expectGapless(rows);
    expect(types(rows).filter((t) => t === "group.user_added").length).toBe(100);
  }, HEAVY_TEST_TIMEOUT);

  it("racing writes of one user: one event per write that landed, none for the attempts that lost", async () => {
    const org = await newScimOrg();
    const ada = await newUser(org, "ada@x.test");
    const statuses = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        org.call("PATCH", `/Users/${ada.id}`, patchBody({ op: "replace", path: "displayName", value: `Ada ${i}` })).then((r) => r.status),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);
    const rows = (await eventsOf(org.orgId)).filter((r) => r.type === "user.updated");
    // Lost optimistic attempts are retried; each event describes exactly one landed version.
    expect(rows.length).toBe(30);
    expect(rows.map((r) => r.data.resource.meta.version)).toEqual(Array.from({ length: 30 }, (_, i) => `W/"${i + 2}"`));
  }, HEAVY_TEST_TIMEOUT);
});

describe("events of Bulk and of setup", () => {
  it("a Bulk request stores the events of its net effect in its own batch", async () => {
    const org = await newScimOrg();
    const res = await org.call("POST", "/Bulk", {
      schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
      Operations: [
        { method: "POST", path: "/Users", bulkId: "u1", data: { schemas: [CORE], userName: "bulk1@x.test" } },
        { method: "POST", path: "/Groups", bulkId: "g1", data: { schemas: [GROUP], displayName: "Bulked", members: [{ value: "bulkId:u1" }] } },
        { method: "PATCH", path: "/Users/bulkId:u1", data: patchBody({ op: "replace", path: "active", value: false }) },
      ],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const rows = await eventsOf(org.orgId);
    // The user is created inactive (net effect), the group with its member.
    expect(types(rows)).toEqual(["user.created", "group.created", "group.user_added"]);
    expect(rows[0].data.resource).toMatchObject({ userName: "bulk1@x.test", active: false });
    expect(rows[2].data).toMatchObject({ group: { displayName: "Bulked" }, user: { userName: "bulk1@x.test" } });
    expectGapless(rows);
  });

  it("completing setup and the operator's reset are events too", async () => {
    const org = await newScimOrg();
    const ada = await newUser(org, "ada@x.test");
    const done = await complete(await linkToken(org.orgId, ada.id), await testBundle());
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    const reset = await admin("POST", `/orgs/${org.orgId}/users/${ada.id}/setup/reset`);
    expect(reset.status, JSON.stringify(reset.body)).toBeLessThan(300);
    // A second reset finds nothing complete: refused, and no event.
    expect((await admin("POST", `/orgs/${org.orgId}/users/${ada.id}/setup/reset`)).status).toBeGreaterThanOrEqual(400);
    const rows = await eventsOf(org.orgId);
    expect(types(rows)).toEqual(["user.created", "user.setup_completed", "user.setup_reset"]);
    expect(rows[1].data.resource).toMatchObject({ id: ada.id, userName: "ada@x.test" });
  });
});

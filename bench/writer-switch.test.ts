// Runs in the vitest "bench" project (SELF is bench/worker.ts): the switch the benchmark uses to compare
// the OrgWriter with group commit on and off, per organization, behind the SCIM token check.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { orgWriter } from "../src/org-writer/client";
import { instrumentWriter } from "../test/support/group-helpers";
import { newScimOrg, request, viaWorker } from "../test/support/helpers";
import { seedUsers } from "../test/support/seed";

async function concurrentAdds(orgId: string, n: number) {
  const writer = orgWriter(env, orgId);
  const users = await seedUsers(orgId, n);
  const groups = [];
  for (let i = 0; i < n; i++) {
    const created = await writer.createGroup(orgId, { displayName: `S ${crypto.randomUUID()}`, externalId: null, members: [] });
    if (!created.ok) throw new Error(created.detail);
    groups.push(created.value.id);
  }
  const stats = await instrumentWriter(orgId);
  const results = await Promise.all(groups.map((id, i) => writer.patchGroup(orgId, id, { memberOps: [{ kind: "add", ids: [users[i]] }] }, undefined)));
  expect(results.every((r) => r.ok)).toBe(true);
  return stats.batches;
}

describe("the bench's group-commit switch", () => {
  it("turns group commit off for the token's organization only: one batch per write there", async () => {
    const off = await newScimOrg({ send: viaWorker });
    const on = await newScimOrg({ send: viaWorker });
    const body = { on: false };
    expect((await viaWorker(request("POST", "/bench-floor/writer/group-commit", { body }))).status).toBe(401);
    const headers = { Authorization: `Bearer ${off.token}`, "Content-Type": "application/json" };
    const res = await viaWorker(request("POST", "/bench-floor/writer/group-commit", { body, headers }));
    expect(await res.json()).toEqual({ groupCommit: false });
    expect(await concurrentAdds(off.orgId, 12)).toBe(12);
    expect(await concurrentAdds(on.orgId, 12)).toBeLessThan(12);
  });
});

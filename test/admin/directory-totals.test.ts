// The pagers' totals ("Users 1–50 of 2,340"): `total=1` on the user and group lists counts the list
// (no search) with one COUNT over an index of the org, only when asked, and never another org's rows.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { adminGet, queryPlan, recordingD1 } from "../support/directory-helpers";
import { countingD1, newScimOrg, viaApp } from "../support/helpers";
import { seedGroup, seedUsers } from "../support/seed";
import { complete, linkToken, setActive, testBundle } from "../support/setup-helpers";

async function orgWith(users: number, groups: number) {
  const { orgId } = await newScimOrg();
  const ids = await seedUsers(orgId, users);
  for (let g = 0; g < groups; g++) await seedGroup(orgId, `group ${g}`);
  return { orgId, ids };
}

describe("admin API: directory totals", () => {
  it("counts users per state filter when asked, and only then", async () => {
    const { orgId, ids } = await orgWith(7, 0);
    await orgWith(5, 3); // another org's rows are never counted
    await setActive(ids[0], false);
    await setActive(ids[1], false);
    expect((await complete(await linkToken(orgId, ids[2]), await testBundle())).status).toBe(200);

    const total = async (params: Record<string, string>) => (await adminGet(`/orgs/${orgId}/users`, { limit: 2, total: 1, ...params })).body.total;
    expect(await total({})).toBe(7);
    expect(await total({ state: "active" })).toBe(5);
    expect(await total({ state: "deactivated" })).toBe(2);
    expect(await total({ state: "pending" })).toBe(4); // active and not set up
    expect(await total({ q: "user" })).toBeNull(); // a search is not counted

    const plain = await adminGet(`/orgs/${orgId}/users`, { limit: 2 });
    expect(plain.body).not.toHaveProperty("total");
    expect((await adminGet(`/orgs/${orgId}/users`, { total: "yes" })).status).toBe(400);
  });

  it("counts groups when asked, null for a search", async () => {
    const { orgId } = await orgWith(0, 4);
    await orgWith(0, 2);
    expect((await adminGet(`/orgs/${orgId}/groups`, { limit: 1, total: 1 })).body).toMatchObject({ total: 4, groups: [expect.any(Object)] });
    expect((await adminGet(`/orgs/${orgId}/groups`, { q: "group", total: 1 })).body.total).toBeNull();
    expect((await adminGet(`/orgs/${orgId}/groups`, {})).body).not.toHaveProperty("total");
    expect((await adminGet(`/orgs/${orgId}/groups`, { total: 2 })).status).toBe(400);
  });

  it("costs one more statement, a COUNT over an index of the org, never a scan of the table", async () => {
    const { orgId } = await orgWith(30, 3);
    const counted = countingD1(env.DB);
    const send = viaApp({ env: { DB: counted.d1 } });
    await adminGet(`/orgs/${orgId}/users`, { limit: 5 }, send);
    const without = counted.log.statements.length;
    counted.reset();
    await adminGet(`/orgs/${orgId}/users`, { limit: 5, total: 1 }, send);
    expect(counted.log.statements.length).toBe(without + 1);

    const { d1, statements } = recordingD1(env.DB, /count\(\*\) AS n FROM (users AS u|groups AS g)/);
    const recording = viaApp({ env: { DB: d1 } });
    for (const state of [undefined, "active", "deactivated", "pending"]) {
      await adminGet(`/orgs/${orgId}/users`, { total: 1, ...(state ? { state } : {}) }, recording);
    }
    await adminGet(`/orgs/${orgId}/groups`, { total: 1 }, recording);
    expect(statements.size).toBe(5);
    for (const [query, params] of statements) {
      expect(await queryPlan(query, params), query).toMatch(/SEARCH (u|g) USING (COVERING )?INDEX (users|groups)_org_/);
    }
  });
});

// Issue 16, tenant fairness: each organization has a rate-limit level (levels are Workers rate-limiting
// bindings in wrangler.toml); the operator moves it between levels; past its budget an organization's
// SCIM requests get 429 with a SCIM error body and Retry-After, and nothing else changes.
import { describe, expect, it } from "vitest";
import { admin, expectScimError, newScimOrg, viaApp } from "../support/helpers";

const send = viaApp();
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

const LEVELS = {
  standard: { read: { limit: 3000, periodSeconds: 60 }, write: { limit: 3000, periodSeconds: 60 } },
  high: { read: { limit: 12000, periodSeconds: 60 }, write: { limit: 12000, periodSeconds: 60 } },
  restricted: { read: { limit: 10, periodSeconds: 10 }, write: { limit: 10, periodSeconds: 10 } },
};

describe("rate-limit levels", () => {
  it("GET shows the org's level and every level's budgets; PUT moves it, and the trail records it", async () => {
    const org = await newScimOrg({ send });
    const read = await admin("GET", `/orgs/${org.orgId}/rate-limits`, undefined, send);
    expect(read.status).toBe(200);
    expect(read.body).toEqual({ level: "standard", levels: LEVELS });

    const put = await admin("PUT", `/orgs/${org.orgId}/rate-limits`, { level: "restricted" }, send);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ level: "restricted", levels: LEVELS });
    expect((await admin("GET", `/orgs/${org.orgId}/rate-limits`, undefined, send)).body.level).toBe("restricted");

    const trail = (await admin("GET", `/audit?orgId=${org.orgId}`, undefined, send)).body.entries;
    expect(trail[0]).toMatchObject({ action: "rate_limit.changed", target: { type: "org", id: org.orgId }, detail: { from: "standard", to: "restricted" } });
  });

  it("PUT refuses an unknown level with 400 naming the allowed ones, and unknown orgs with 404", async () => {
    const org = await newScimOrg({ send });
    for (const body of [{ level: "unlimited" }, {}, { level: 3 }, { level: "standard", extra: 1 }]) {
      const res = await admin("PUT", `/orgs/${org.orgId}/rate-limits`, body, send);
      expect(res.status, JSON.stringify(body)).toBe(400);
      if (!("extra" in body)) {
        expect(res.body.error.field).toBe("level");
        expect(res.body.error.message).toContain("standard, high, restricted");
      }
    }
    expect((await admin("GET", `/orgs/${org.orgId}/rate-limits`, undefined, send)).body.level).toBe("standard");
    expect((await admin("PUT", `/orgs/${crypto.randomUUID()}/rate-limits`, { level: "high" }, send)).status).toBe(404);
    expect((await admin("GET", `/orgs/${crypto.randomUUID()}/rate-limits`, undefined, send)).status).toBe(404);
  });

  it("past a restricted org's budget: 429 with a SCIM error body and Retry-After, logged, nothing written; other orgs unaffected", async () => {
    const org = await newScimOrg({ send });
    const other = await newScimOrg({ send });
    await admin("PUT", `/orgs/${org.orgId}/rate-limits`, { level: "restricted" }, send);

    const statuses: number[] = [];
    let refused: Awaited<ReturnType<typeof org.call>> | undefined;
    for (let i = 0; i < 25; i++) {
      const res = await org.call("GET", "/Users?count=1");
      statuses.push(res.status);
      if (res.status === 429) refused ??= res;
    }
    // 10 per 10-second window; 25 quick requests span at most two windows.
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.filter((s) => s === 200).length).toBeLessThanOrEqual(20);
    expect(statuses.every((s) => s === 200 || s === 429)).toBe(true);
    expectScimError(refused!, 429);
    expect(refused!.headers.get("Retry-After")).toBe("10");
    expect(refused!.body.detail).toMatch(/rate limit/i);

    // Writes share the restricted budget; a refused create writes nothing.
    const writes: number[] = [];
    for (let i = 0; i < 25; i++) writes.push((await org.call("POST", "/Users", { schemas: [CORE_USER], userName: `w${i}` })).status);
    expect(writes).toContain(429);
    const created = (await admin("GET", `/orgs/${org.orgId}/users?limit=200`, undefined, send)).body.users;
    expect(created.length).toBe(writes.filter((s) => s === 201).length);
    expect((await other.call("GET", "/Users?count=1")).status).toBe(200);

    // Logged, but sampled: a flood of refusals must not turn into as many D1 writes.
    const log = (await admin("GET", `/orgs/${org.orgId}/scim/log?status=4xx&limit=200`, undefined, send)).body.entries;
    const logged429 = log.filter((e: any) => e.status === 429);
    const answered429 = statuses.filter((s) => s === 429).length + writes.filter((s) => s === 429).length;
    expect(logged429.length).toBeGreaterThanOrEqual(1);
    expect(logged429.length).toBeLessThan(answered429);
    expect(logged429[logged429.length - 1].detail).toMatch(/rate limit \(restricted\)/);

    // Back to standard: a separate budget, so requests pass at once.
    await admin("PUT", `/orgs/${org.orgId}/rate-limits`, { level: "standard" }, send);
    expect((await org.call("GET", "/Users?count=1")).status).toBe(200);
  });
});

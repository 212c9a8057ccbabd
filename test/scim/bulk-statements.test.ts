/**
 * A Bulk request of bulk.maxOperations operations stays within D1's 1,000 statements per invocation
 * (production enforces it; local D1 does not): the Worker's D1 and the OrgWriter's D1 are wrapped
 * so that the 1,001st statement of an invocation fails, as it would in production.
 */
import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { orgWriter } from "../../src/org-writer/client";
import type { OrgWriter } from "../../src/org-writer/writer";
import { newScimOrg, viaApp } from "../support/helpers";
import { GROUP, patchBody } from "../support/group-helpers";
import { seedGroup, seedMembers, seedUsers } from "../support/seed";
import { CORE } from "../support/user-helpers";

const LIMIT = 1000;

/** A D1 binding that counts every statement it runs (alone or in a batch) and fails beyond LIMIT. */
function limitedD1(inner: D1Database) {
  const stats = { statements: 0, max: 0 };
  const spend = (n: number) => {
    stats.statements += n;
    stats.max = Math.max(stats.max, stats.statements);
    if (stats.statements > LIMIT) throw new Error(`D1_ERROR: too many API requests by single worker invocation (${stats.statements} > ${LIMIT})`);
  };
  const counted = (statement: D1PreparedStatement): D1PreparedStatement => {
    const bind = statement.bind.bind(statement);
    statement.bind = (...values: unknown[]) => counted(bind(...values));
    for (const method of ["all", "first", "run", "raw"] as const) {
      const original = (statement[method] as (...args: unknown[]) => unknown).bind(statement);
      (statement as unknown as Record<string, unknown>)[method] = async (...args: unknown[]) => {
        spend(1);
        return original(...args);
      };
    }
    return statement;
  };
  const d1 = new Proxy(inner, {
    get(target, prop) {
      if (prop === "prepare") return (query: string) => counted(target.prepare(query));
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          spend(statements.length);
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { d1, stats, reset: () => (stats.statements = 0) };
}

/** The org's writer runs on a limited D1 too; returns its counter. */
async function limitWriter(orgId: string) {
  let limited: ReturnType<typeof limitedD1> | undefined;
  await runInDurableObject(orgWriter(env, orgId), (object) => {
    const instance = object as unknown as OrgWriter;
    limited = limitedD1((instance as unknown as { env: { DB: D1Database } }).env.DB);
    instance.d1 = limited.d1;
  });
  return limited!;
}

describe("a Bulk request of 1,000 operations", () => {
  it("of every kind, with references and memberships, runs within 1,000 statements in the Worker and in the OrgWriter", async () => {
    const worker = limitedD1(env.DB);
    const org = await newScimOrg({ send: viaApp({ env: { DB: worker.d1 } }) });
    const writer = await limitWriter(org.orgId);

    // Seeded directly: 350 users, 200 groups with members.
    const existing = await seedUsers(org.orgId, 350);
    const groups: string[] = [];
    for (let i = 0; i < 200; i++) {
      const id = await seedGroup(org.orgId, `Seeded ${i}`);
      await seedMembers(org.orgId, id, existing.slice(i, i + 5));
      groups.push(id);
    }

    const ops: Record<string, unknown>[] = [];
    for (let i = 0; i < 300; i++) {
      ops.push({ method: "POST", path: "/Users", bulkId: `u${i}`, data: { schemas: [CORE], userName: `new${i}@x`, emails: [{ value: `new${i}@x`, primary: true }, { value: `alt${i}@x` }] } });
    }
    for (let i = 0; i < 150; i++) {
      ops.push({ method: "PATCH", path: `/Users/${existing[i]}`, data: patchBody({ op: "replace", path: "displayName", value: `Patched ${i}` }, { op: "add", path: "emails", value: [{ value: `p${i}@x` }] }) });
    }
    for (let i = 150; i < 250; i++) ops.push({ method: "PUT", path: `/Users/${existing[i]}`, data: { schemas: [CORE], userName: `put${i}@x`, active: false } });
    for (let i = 0; i < 150; i++) {
      ops.push({ method: "POST", path: "/Groups", bulkId: `g${i}`, data: { schemas: [GROUP], displayName: `New ${i}`, members: [`bulkId:u${i}`, `bulkId:u${i + 150}`, existing[i]] } });
    }
    for (let i = 0; i < 100; i++) {
      ops.push({
        method: "PATCH",
        path: `/Groups/${groups[i]}`,
        data: patchBody({ op: "add", path: "members", value: [{ value: `bulkId:u${i}` }] }, { op: "remove", path: "members", value: [{ value: existing[i] }] }),
      });
    }
    for (let i = 100; i < 150; i++) ops.push({ method: "PUT", path: `/Groups/${groups[i]}`, data: { schemas: [GROUP], displayName: `Put ${i}`, members: [{ value: existing[i + 100] }] } });
    for (let i = 150; i < 200; i++) ops.push({ method: "DELETE", path: `/Groups/${groups[i]}` });
    for (let i = 250; i < 350; i++) ops.push({ method: "DELETE", path: `/Users/${existing[i]}` });
    expect(ops).toHaveLength(1000);

    worker.reset();
    writer.reset();
    const res = await org.call("POST", "/Bulk", { Operations: ops });
    expect(res.status, JSON.stringify(res.body).slice(0, 500)).toBe(200);
    const statuses = res.body.Operations.map((o: { status: string }) => o.status);
    expect(statuses.filter((s: string) => !/^20[014]$/.test(s))).toEqual([]);
    expect(res.body.Operations).toHaveLength(1000);
    expect(worker.stats.statements).toBeLessThanOrEqual(LIMIT);
    expect(writer.stats.statements).toBeLessThanOrEqual(LIMIT);
    // Far below, in fact: a fixed number of batched statements, not one or more per operation.
    expect(writer.stats.statements).toBeLessThan(100);
    console.log(`bulk of 1,000: ${worker.stats.statements} statements in the Worker, ${writer.stats.statements} in the OrgWriter`);

    // And it did what 1,000 single requests would have done.
    expect((await org.call("GET", "/Users?count=0")).body.totalResults).toBe(350 - 100 + 300);
    expect((await org.call("GET", "/Groups?count=0")).body.totalResults).toBe(200 - 50 + 150);
    const patched = await org.call("GET", `/Users/${existing[3]}`);
    expect(patched.body.displayName).toBe("Patched 3");
    expect(patched.body.emails).toEqual([{ value: "p3@x" }]);
    const newGroup = (await org.call("GET", `/Groups?filter=${encodeURIComponent('displayName eq "New 7"')}`)).body.Resources[0];
    expect(newGroup.members).toHaveLength(3);
    const seeded = await org.call("GET", `/Groups/${groups[7]}`);
    expect(seeded.body.members.map((m: { value: string }) => m.value)).not.toContain(existing[7]);
    expect(seeded.body.members).toHaveLength(5);
    expect(seeded.body.meta.version).toBe('W/"2"');
  }, 120_000);

  it("the wrapper really fails a 1,001st statement (so the test above would catch one too many)", async () => {
    const limited = limitedD1(env.DB);
    const statements = Array.from({ length: 1001 }, () => limited.d1.prepare("SELECT 1"));
    await expect(limited.d1.batch(statements)).rejects.toThrow(/too many/);
    limited.reset();
    await limited.d1.batch(statements.slice(0, 1000));
    await expect(limited.d1.prepare("SELECT 1").first()).rejects.toThrow(/too many/);
  });
});

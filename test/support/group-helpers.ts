/** Helpers for the /Groups tests: group calls, direct D1 reads, and the writer's instrumentation. */
import { env, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import { orgWriter } from "../../src/org-writer/client";
import type { OrgWriter } from "../../src/org-writer/writer";
import type { ScimClient } from "./helpers";
import { patchBody } from "./user-helpers";

export const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
export { patchBody };

export async function createGroup(org: ScimClient, body: Record<string, unknown>) {
  const res = await org.call("POST", "/Groups", { schemas: [GROUP], ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

/** PATCHes a group and expects 204 (no attributes asked for). */
export async function patchGroup(org: ScimClient, id: string, ...operations: unknown[]) {
  const res = await org.call("PATCH", `/Groups/${id}`, patchBody(...operations));
  expect(res.status, JSON.stringify(res.body)).toBe(204);
  return res;
}

/** The member ids a GET of the group returns, sorted. */
export async function memberValues(org: ScimClient, id: string): Promise<string[]> {
  const res = await org.call("GET", `/Groups/${id}`);
  expect(res.status).toBe(200);
  return (res.body.members as { value: string }[]).map((m) => m.value).sort();
}

export async function groupVersion(org: ScimClient, id: string): Promise<string> {
  return (await org.call("GET", `/Groups/${id}?excludedAttributes=members`)).body.meta.version;
}

/** Every row an org holds in the group tables (to prove a request wrote nothing). */
export async function groupRows(orgId: string) {
  const groups = await env.DB.prepare("SELECT * FROM groups WHERE org_id = ? ORDER BY id").bind(orgId).all();
  const members = await env.DB.prepare("SELECT * FROM group_members WHERE org_id = ? ORDER BY group_id, user_id").bind(orgId).all();
  return { groups: groups.results.length, members: members.results.length, fingerprint: JSON.stringify([groups.results, members.results]) };
}

export function groupFilter(filter: string, extra = "") {
  return `/Groups?filter=${encodeURIComponent(filter)}${extra}`;
}

/** The writer's own D1 binding (the one it starts with), wrapped or not. */
function realD1(instance: OrgWriter): D1Database {
  return (instance as unknown as { env: { DB: D1Database } }).env.DB;
}

export interface WriterStats {
  batches: number;
  inFlight: number;
  maxInFlight: number;
  statements: number;
}

/**
 * Wraps the org's writer's D1 binding: counts prepared statements and write batches, and records how
 * many batches were ever in flight at once. With `fail`, every call fails as an unreachable database would.
 */
export async function instrumentWriter(orgId: string, options: { fail?: boolean } = {}): Promise<WriterStats> {
  const stats: WriterStats = { batches: 0, inFlight: 0, maxInFlight: 0, statements: 0 };
  const written = new WeakSet<D1PreparedStatement>();
  await runInDurableObject(orgWriter(env, orgId), (object) => {
    const instance = object as unknown as OrgWriter;
    const inner = realD1(instance);
    instance.d1 = new Proxy(inner, {
      get(target, prop) {
        if (options.fail && (prop === "batch" || prop === "prepare")) {
          return () => {
            throw new Error("D1_ERROR: simulated outage");
          };
        }
        if (prop === "batch") {
          return async (statements: D1PreparedStatement[]) => {
            // Write batches only: the writer's pre-read (group row + member states) is a batch too.
            if (!statements.some((s) => written.has(s))) return target.batch(statements);
            stats.batches++;
            stats.maxInFlight = Math.max(stats.maxInFlight, ++stats.inFlight);
            try {
              return await target.batch(statements);
            } finally {
              stats.inFlight--;
            }
          };
        }
        if (prop === "prepare") {
          return (query: string) => {
            stats.statements++;
            const statement = target.prepare(query);
            if (/^\s*(insert|update|delete)\b/i.test(query)) {
              const bind = statement.bind.bind(statement);
              statement.bind = (...values: unknown[]) => {
                const bound = bind(...values);
                written.add(bound);
                return bound;
              };
              written.add(statement);
            }
            return statement;
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  });
  return stats;
}

/** Gives the org's writer its real D1 binding back. */
export async function restoreWriter(orgId: string): Promise<void> {
  await runInDurableObject(orgWriter(env, orgId), (object) => {
    const instance = object as unknown as OrgWriter;
    instance.d1 = realD1(instance);
  });
}

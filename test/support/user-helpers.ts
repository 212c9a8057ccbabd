/** Helpers for the /Users tests: direct D1 reads, to check what was (not) written. */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import type { ScimClient } from "./helpers";

export const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/** Rows an org holds in the user tables, and a fingerprint of them (to prove a request wrote nothing). */
export async function userRows(orgId: string) {
  const users = await env.DB.prepare("SELECT * FROM users WHERE org_id = ? ORDER BY id").bind(orgId).all();
  const emails = await env.DB.prepare("SELECT * FROM user_emails WHERE org_id = ? ORDER BY user_id, position").bind(orgId).all();
  return { users: users.results.length, emails: emails.results.length, fingerprint: JSON.stringify([users.results, emails.results]) };
}

/** Every row of every table, as text: for proving a secret is stored nowhere. */
export async function allStoredText(): Promise<string> {
  const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%'").all<{ name: string }>();
  const parts: string[] = [];
  for (const { name } of tables.results) {
    const rows = await env.DB.prepare(`SELECT * FROM "${name}"`).all();
    parts.push(`${name}: ${JSON.stringify(rows.results)}`);
  }
  return parts.join("\n");
}

export function patchBody(...Operations: unknown[]) {
  return { schemas: [PATCH_OP], Operations };
}

export async function createUser(org: ScimClient, body: Record<string, unknown>) {
  const res = await org.call("POST", "/Users", { schemas: [CORE], ...body });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body;
}

export function filterQuery(filter: string, extra = "") {
  return `/Users?filter=${encodeURIComponent(filter)}${extra}`;
}

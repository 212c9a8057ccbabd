/**
 * The names of an org's users and groups by id, for showing ids as names (the provisioning log's
 * paths): one statement whatever the number of ids, which travel as JSON parameters (json_each).
 * An id with no row (deleted, or never there) is simply absent from the answer.
 */
import { sql } from "drizzle-orm";
import type { Db } from "./client";

export interface ResourceIds {
  users: string[];
  groups: string[];
}

export interface ResourceNames {
  /** id → userName */
  users: Map<string, string>;
  /** id → displayName */
  groups: Map<string, string>;
}

export async function resourceNames(db: Db, orgId: string, ids: ResourceIds): Promise<ResourceNames> {
  const names: ResourceNames = { users: new Map(), groups: new Map() };
  if (ids.users.length === 0 && ids.groups.length === 0) return names;
  const rows = await db.all<{ kind: "user" | "group"; id: string; name: string }>(sql`
    SELECT 'user' AS kind, id, user_name AS name FROM users
    WHERE org_id = ${orgId} AND id IN (SELECT value FROM json_each(${JSON.stringify(ids.users)}))
    UNION ALL
    SELECT 'group' AS kind, id, display_name AS name FROM groups
    WHERE org_id = ${orgId} AND id IN (SELECT value FROM json_each(${JSON.stringify(ids.groups)}))`);
  for (const row of rows) (row.kind === "user" ? names.users : names.groups).set(row.id, row.name);
  return names;
}

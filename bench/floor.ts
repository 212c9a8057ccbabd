/**
 * The benchmark's floor (`npm run bench`): routes that do the same D1 work as a SCIM user create and
 * a SCIM userName lookup, with the same token authentication, but no SCIM logic (no schema
 * validation, no normalisation beyond lower-casing, no rendering). Only the bench's own Worker
 * (bench/worker.ts) mounts them; the product bundle must not contain them (scripts/check-bundle.mjs
 * looks for FLOOR_MARKER, which every floor statement carries, and for the /bench-floor prefix).
 */
import { Hono } from "hono";
import type { AppEnv } from "../src/routes/context";
import { identifyScimCaller, scimAuth } from "../src/routes/middleware/scim-caller";

/** Tags every floor statement, so that it is recognisable in a bundle (and in D1's query log). */
const FLOOR_MARKER = "/* bench-floor */";

interface FloorUser {
  userName: string;
  externalId?: string;
  displayName?: string;
  name?: { givenName?: string; familyName?: string };
  emails?: { value: string; type?: string; primary?: boolean }[];
}

export const benchFloorRoutes = new Hono<AppEnv>()
  .use(identifyScimCaller, scimAuth)
  // The rows of a SCIM create (users + user_emails), in one batch.
  .post("/users", async (c) => {
    const u = await c.req.json<FloorUser>();
    const d1 = c.env.DB;
    const id = crypto.randomUUID();
    const now = Date.now();
    const data = JSON.stringify(u);
    const emails = JSON.stringify((u.emails ?? []).map((e) => ({ v: e.value.toLowerCase(), t: e.type ?? null, p: e.primary ? 1 : 0 })));
    await d1.batch([
      d1
        .prepare(
          `${FLOOR_MARKER} INSERT INTO users (id, org_id, user_name, user_name_norm, external_id, display_name, display_name_norm,
             given_name_norm, family_name_norm, active, data, data_norm, version, created_at, last_modified)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 1, ?, ?)`,
        )
        .bind(
          id,
          c.var.orgId,
          u.userName,
          u.userName.toLowerCase(),
          u.externalId ?? null,
          u.displayName ?? null,
          u.displayName?.toLowerCase() ?? null,
          u.name?.givenName?.toLowerCase() ?? null,
          u.name?.familyName?.toLowerCase() ?? null,
          data,
          data.toLowerCase(),
          now,
          now,
        ),
      d1
        .prepare(
          `${FLOOR_MARKER} INSERT INTO user_emails (user_id, position, org_id, value_norm, type_norm, "primary")
           SELECT ?, CAST(j.key AS INTEGER), ?, json_extract(j.value, '$.v'), json_extract(j.value, '$.t'), json_extract(j.value, '$.p')
           FROM json_each(?) j`,
        )
        .bind(id, c.var.orgId, emails),
    ]);
    return c.json({ id }, 201);
  })
  // A userName lookup: the indexed SELECT on the unique key plus the COUNT the SCIM list also runs.
  .get("/users", async (c) => {
    const d1 = c.env.DB;
    const key = (c.req.query("userName") ?? "").toLowerCase();
    const [count, rows] = await d1.batch([
      d1.prepare(`${FLOOR_MARKER} SELECT COUNT(*) AS total FROM users WHERE org_id = ? AND user_name_norm = ?`).bind(c.var.orgId, key),
      d1
        .prepare(`${FLOOR_MARKER} SELECT id, version, created_at, last_modified, data FROM users WHERE org_id = ? AND user_name_norm = ? LIMIT 1`)
        .bind(c.var.orgId, key),
    ]);
    return c.json({ total: (count.results[0] as { total: number }).total, users: rows.results });
  });

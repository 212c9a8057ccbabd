import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { database } from "../../src/db/client";
import { runMaintenance } from "../../src/scheduled";
import { admin } from "../support/helpers";
import { seedUsers } from "../support/seed";

it("the hourly clean-up removes expired user sessions and keeps live ones", async () => {
  const org = (await admin("POST", "/orgs", { name: "Sessions" })).body.id;
  const [a, b] = await seedUsers(org, 2);
  const now = Date.UTC(2026, 10, 1);
  const insert = env.DB.prepare(
    "INSERT INTO user_sessions (id_hash, org_id, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?)",
  );
  await env.DB.batch([
    insert.bind("expired", org, a, now - 13 * 3_600_000, now - 3_600_000),
    insert.bind("live", org, b, now - 3_600_000, now + 11 * 3_600_000),
  ]);
  const result = await runMaintenance(database(env.DB), now);
  expect(result.userSessions).toBe(1);
  const { results } = await env.DB.prepare("SELECT id_hash FROM user_sessions").all<{ id_hash: string }>();
  expect(results.map((r) => r.id_hash)).toEqual(["live"]);
});

// Finding 5 of issue 16, existing data: migration 0005 keys ASCII userNames in SQL and leaves the rest
// to the Worker (SQLite has no Unicode functions), which recomputes them; a user whose new key is
// taken keeps a distinguishing key, is listed in the report, and is never deleted.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { fold } from "../../src/scim/text";
import { runMaintenance } from "../../src/scheduled";
import { admin, expectScimError, newScimOrg } from "../support/helpers";

const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

/** Rows as they stood before migration 0005: keyed only by the case fold. */
async function legacyUsers(orgId: string, names: string[]): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  const now = Date.now();
  for (const [i, name] of names.entries()) {
    const id = crypto.randomUUID();
    ids.set(name, id);
    await env.DB.prepare(
      `INSERT INTO users (id, org_id, user_name, user_name_norm, user_name_key, user_name_key_version, active, version,
                          created_at, last_modified, data)
       VALUES (?, ?, ?, ?, ?, 1, 1, 1, ?, ?, json_object('userName', ?))`,
    )
      .bind(id, orgId, name, fold(name), `pre-0005 ${id}`, now + i, now + i, name)
      .run();
  }
  return ids;
}

/** The statement of migration 0005 that keys the existing rows (read from the migration file itself). */
async function runMigrationUpdate() {
  const migration = env.TEST_MIGRATIONS.find((m) => m.name.startsWith("0005_user_name_key"))!;
  const update = migration.queries.find((q: string) => /UPDATE `users` SET `user_name_key`/.test(q))!;
  await env.DB.prepare(update).run();
}

const rowOf = (id: string) =>
  env.DB.prepare("SELECT user_name, user_name_key, user_name_key_version FROM users WHERE id = ?")
    .bind(id)
    .first<{ user_name: string; user_name_key: string; user_name_key_version: number }>();

describe("migration 0005 and the Worker's recomputation of userName keys", () => {
  it("keys ASCII names in SQL, the rest in the Worker; colliding users keep a distinguishing key and are reported", async () => {
    const org = await newScimOrg();
    const names = ["bob", "Bob\u200B", "\uFF21\uFF2C\uFF29\uFF23\uFF25", "\u00C9mile", "\u00C9mile\u00A0", "carol  x", "Dave"];
    const ids = await legacyUsers(org.orgId, names);
    await runMigrationUpdate();

    // In SQL: ASCII names without leading, trailing or doubled spaces are final.
    expect(await rowOf(ids.get("bob")!)).toEqual({ user_name: "bob", user_name_key: "bob", user_name_key_version: 1 });
    expect(await rowOf(ids.get("Dave")!)).toEqual({ user_name: "Dave", user_name_key: "dave", user_name_key_version: 1 });
    // Everything else waits for the Worker, keyed by its old (unique) fold meanwhile.
    for (const name of ["Bob\u200B", "\uFF21\uFF2C\uFF29\uFF23\uFF25", "carol  x"]) {
      expect(await rowOf(ids.get(name)!)).toMatchObject({ user_name_key: fold(name), user_name_key_version: 0 });
    }
    expect((await admin("GET", "/maintenance/user-name-keys")).body.pending).toBeGreaterThanOrEqual(5);

    let run = await admin("POST", "/maintenance/user-name-keys");
    expect(run.status).toBe(200);
    const found = [...run.body.collisions];
    while (run.body.pending > 0) {
      run = await admin("POST", "/maintenance/user-name-keys");
      found.push(...run.body.collisions);
    }
    const ours = found.filter((c: any) => c.orgId === org.orgId);
    expect(ours.map((c: any) => [c.userName, c.userNameKey, c.heldByUserId]).sort()).toEqual(
      [
        ["Bob\u200B", "bob", ids.get("bob")],
        ["\u00C9mile\u00A0", "\u00E9mile", ids.get("\u00C9mile")],
      ].sort(),
    );
    expect(await rowOf(ids.get("\uFF21\uFF2C\uFF29\uFF23\uFF25")!)).toMatchObject({ user_name_key: "alice", user_name_key_version: 1 });
    expect(await rowOf(ids.get("carol  x")!)).toMatchObject({ user_name_key: "carol x", user_name_key_version: 1 });
    expect(await rowOf(ids.get("Bob\u200B")!)).toMatchObject({ user_name_key: ` ${ids.get("Bob\u200B")}` });

    // The report stays readable; nobody was deleted; the distinguished user still works over SCIM.
    const report = await admin("GET", "/maintenance/user-name-keys");
    expect(report.body.pending).toBe(0);
    expect(report.body.collisions.filter((c: any) => c.orgId === org.orgId)).toHaveLength(2);
    expect((await org.call("GET", "/Users")).body.totalResults).toBe(names.length);
    const kept = ids.get("Bob\u200B")!;
    const updated = await org.call("PUT", `/Users/${kept}`, { schemas: [CORE_USER], userName: "Bob\u200B", displayName: "Bob (2)" });
    expect(updated.status).toBe(200);
    expect(updated.body.userName).toBe("Bob\u200B");

    // Recomputed keys now guard uniqueness.
    expectScimError(await org.call("POST", "/Users", { schemas: [CORE_USER], userName: "alice" }), 409, "uniqueness");
    expectScimError(await org.call("POST", "/Users", { schemas: [CORE_USER], userName: "CAROL X" }), 409, "uniqueness");
  });

  it("the hourly Cron Trigger works through pending keys too", async () => {
    const org = await newScimOrg();
    const ids = await legacyUsers(org.orgId, ["\uFF27\uFF32\uFF21\uFF23\uFF25"]);
    await runMigrationUpdate();
    const result = await runMaintenance(database(env.DB), Date.now());
    expect(result.userNameKeys.rekeyed).toBeGreaterThanOrEqual(1);
    expect(await rowOf(ids.get("\uFF27\uFF32\uFF21\uFF23\uFF25")!)).toMatchObject({ user_name_key: "grace", user_name_key_version: 1 });
  });
});

// Applies drizzle/*.sql to the test D1 databases (the product's, and the simulated replica's of
// bench/topology.ts) before each test file (storage is per file).
//
// Through `cloudflare:workers`, not `cloudflare:test`: importing `cloudflare:test` also imports the
// Worker's entry point and so the whole app, which the unit-test files (parsers, the PATCH engine,
// planners) never use; files that need SELF or the bindings' helpers import it themselves.
import { env } from "cloudflare:workers";

/** What cloudflare:test's applyD1Migrations does: each pending migration, with its record, in one batch. */
async function applyMigrations(db: D1Database) {
  await db
    .prepare(
      `CREATE TABLE IF NOT EXISTS d1_migrations (
         id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)`,
    )
    .run();
  const applied = new Set((await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>()).results.map((r) => r.name));
  for (const migration of env.TEST_MIGRATIONS) {
    if (applied.has(migration.name)) continue;
    await db.batch([
      ...migration.queries.map((query: string) => db.prepare(query)),
      db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(migration.name),
    ]);
  }
}

await applyMigrations(env.DB);
await applyMigrations(env.REPLICA_DB);

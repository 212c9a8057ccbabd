// Applies drizzle/*.sql to the test D1 databases (the product's, and the simulated replica's of
// bench/topology.ts) before each test file (storage is per file).
import { applyD1Migrations, env } from "cloudflare:test";

await applyD1Migrations(env.DB, env.TEST_MIGRATIONS);
await applyD1Migrations(env.REPLICA_DB, env.TEST_MIGRATIONS);

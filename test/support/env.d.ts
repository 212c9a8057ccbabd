// What the vitest config (vitest.config.ts) binds for the workerd tests, beside the Worker's own
// bindings (Cloudflare.Env, generated into worker-configuration.d.ts by `npm run types`).
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: D1Migration[];
    /** Key pairs with certificates for the SAML tests, made per run (test/support/saml-test-keys.ts). */
    TEST_SAML_KEYS: import("./saml-test-keys").SamlTestKeys;
    /** The simulated read replica's database (bench/topology.ts), migrated like DB. */
    REPLICA_DB: D1Database;
  }
}

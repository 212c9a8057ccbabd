// What the vitest config (vitest.config.ts) binds for the workerd tests, beside the Worker's own
// bindings (Cloudflare.Env, generated into worker-configuration.d.ts by `npm run types`).
declare namespace Cloudflare {
  interface Env {
    TEST_MIGRATIONS: D1Migration[];
  }
}

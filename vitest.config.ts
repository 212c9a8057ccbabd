import { readFile } from "node:fs/promises";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { samlTestKeys } from "./test/support/saml-test-keys";

const migrations = await readD1Migrations(path.join(import.meta.dirname, "drizzle"));
// X.509 certificates cannot be made inside workerd (selfsigned needs Node): the SAML tests' IdP keys are made here, per run.
const samlKeys = await samlTestKeys();

/** Mirrors wrangler.toml's Text rule: `*.client.js` files (browser scripts) import as their source text. */
const clientScriptsAsText = {
  name: "client-scripts-as-text",
  enforce: "pre" as const,
  async load(id: string) {
    if (!id.endsWith(".client.js")) return null;
    return `export default ${JSON.stringify(await readFile(id, "utf8"))};`;
  },
};

/** The workerd pool for a Worker config: real D1/KV/Durable Object bindings, migrations applied per test file. */
const workerdPlugins = (configPath: string) => [
  clientScriptsAsText,
  cloudflareTest({
    wrangler: { configPath },
    miniflare: {
      // A second database, the simulated read replica of bench/topology.ts (tests only).
      d1Databases: { REPLICA_DB: "replica-db" },
      bindings: {
        TEST_MIGRATIONS: migrations,
        TEST_SAML_KEYS: samlKeys,
        ADMIN_TOKEN: "test-admin-token-0123456789abcdefghijklmnopqrstuvwxyz",
        // Hermetic: a developer's .dev.vars must not change what the tests see.
        PUBLIC_ORIGIN: "",
        SETUP_WEBHOOK_URL: "",
        SETUP_WEBHOOK_SECRET: "",
        SSO_SECRET_KEY: "",
      },
    },
  }),
];

export default defineConfig({
  test: {
    projects: [
      {
        // Everything that runs inside workerd against the product Worker (wrangler.toml).
        plugins: workerdPlugins("./wrangler.toml"),
        test: {
          name: "workers",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**"],
          setupFiles: ["./test/support/apply-migrations.ts"],
        },
      },
      {
        // The benchmark's Worker (bench/wrangler.toml: the product plus the floor routes), in workerd.
        plugins: workerdPlugins("./bench/wrangler.toml"),
        test: {
          name: "bench",
          include: ["bench/**/*.test.ts"],
          setupFiles: ["./test/support/apply-migrations.ts"],
        },
      },
      {
        // End-to-end tests in Node against a real `wrangler dev` (and, for the console, Chromium).
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          environment: "node",
          globalSetup: ["./test/e2e/global-setup.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

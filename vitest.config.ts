import { accessSync, constants, mkdirSync, statfsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";
import { samlTestKeys } from "./test/support/saml-test-keys";

const migrations = await readD1Migrations(path.join(import.meta.dirname, "drizzle"));
// X.509 certificates cannot be made inside workerd (selfsigned needs Node): the SAML tests' IdP keys are made here, per run.
const samlKeys = await samlTestKeys();

/**
 * Scratch storage in RAM. Miniflare keeps each test file's D1, KV and Durable Object storage in a
 * directory under os.tmpdir(), and the e2e `wrangler dev` its --persist-to directory too. On a disk,
 * every SQLite commit waits for the disk: write-heavy test files took 2 to 3 times as long (63-102 s
 * against 30-35 s for four of them), and longer still while other processes wrote. A TMPDIR set by
 * whoever runs the tests is left alone, as is a machine without a tmpfs at /dev/shm.
 */
function useRamForScratch() {
  const TMPFS_MAGIC = 0x01021994;
  if (process.env.TMPDIR || process.platform !== "linux") return;
  try {
    if (statfsSync("/dev/shm").type !== TMPFS_MAGIC) return;
    const dir = "/dev/shm/edge-scim-tests";
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
    process.env.TMPDIR = dir;
  } catch {
    // No usable tmpfs: stay on the disk.
  }
}
useRamForScratch();

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
        CURSOR_SECRET: "test-cursor-secret-0123456789abcdefghijklmnopqrstuvwxyz",
        // Hermetic: a developer's .dev.vars must not change what the tests see. The tests address the
        // service as https://scim.test (test/support/helpers.ts ORIGIN), its configured public origin.
        PUBLIC_ORIGIN: "https://scim.test",
        SETUP_WEBHOOK_URL: "",
        SETUP_WEBHOOK_SECRET: "",
        SSO_SECRET_KEY: "",
        WEBHOOK_SECRET_KEY: "test-webhook-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
        // Minutes, so no real alarm fires during a test: tests move the delivery objects' injected
        // clock and run their alarms with runDurableObjectAlarm (test/events/support.ts).
        WEBHOOK_RETRY_DELAYS: "60,120,240",
      },
    },
  }),
];

export default defineConfig({
  test: {
    // maxWorkers stays at vitest's default, one fewer than the cores: on a 2-core machine the files of
    // both projects run one at a time. Two workers there finished the workers project about a fifth
    // sooner (190 s against 237 s, load 11) but doubled the heavy tests' times (200 concurrent adds:
    // 15 s against 6 s), too close to their timeout once something else keeps the cores busy.
    projects: [
      {
        // Everything that runs inside workerd against the product Worker (wrangler.toml).
        plugins: workerdPlugins("./wrangler.toml"),
        test: {
          name: "workers",
          include: ["test/**/*.test.ts"],
          exclude: ["test/e2e/**"],
          setupFiles: ["./test/support/apply-migrations.ts"],
          // Every test file starts a fresh workerd that imports the Worker's whole module graph again,
          // one module at a time. Pre-bundling the dependencies made of many small modules (zod ~95,
          // drizzle-orm ~110, fast-check) takes that from ~400 module loads per file to ~190, and the
          // project's CPU time down by about a fifth. (The Worker itself is deployed as one esbuild
          // bundle, so this is no further from production.) hono stays unbundled: the compiler adds
          // its JSX runtime imports, which this list does not reach, and hono must stay one copy.
          deps: {
            optimizer: {
              ssr: {
                enabled: true,
                include: ["zod", "drizzle-orm", "drizzle-orm/d1", "drizzle-orm/sqlite-core", "fast-check"],
              },
            },
          },
          // Timeouts are liveness guards, not speed checks, and CI's 2-core machine may be busy. Measured
          // on this suite (issue 11): with the machine loaded to a load average of 10–14, tests ran up to
          // ~20× their idle time (a 1.8 s test took 38.6 s and tripped the old 30 s limit). Light tests
          // (under ~1.5 s idle) get 60 s; the few inherently heavy ones (hundreds of requests,
          // 50,000-member groups; 1–4 s idle) say so with HEAVY_TEST_TIMEOUT (180 s). Hooks get 120 s:
          // groups-large seeds 50,000 users in beforeAll.
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // The benchmark's Worker (bench/wrangler.toml: the product plus the floor routes), in workerd.
        plugins: workerdPlugins("./bench/wrangler.toml"),
        test: {
          name: "bench",
          include: ["bench/**/*.test.ts"],
          setupFiles: ["./test/support/apply-migrations.ts"],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        // End-to-end tests in Node against a real `wrangler dev` (and, for the console, Chromium).
        test: {
          name: "e2e",
          include: ["test/e2e/**/*.e2e.test.ts"],
          environment: "node",
          globalSetup: ["./test/e2e/global-setup.ts"],
          // A test drives Chromium through several pages; a hook launches it. The heaviest (2,000 SCIM
          // creates) takes ~9 s idle and ~36 s at a load average of 10–14: two minutes leaves room.
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});

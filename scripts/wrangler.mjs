// Runs the project's wrangler with its network lookups silenced (these machines are offline).
import { spawn } from "node:child_process";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const wranglerBin = require.resolve("wrangler/bin/wrangler.js");

export const quietEnv = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
  // `d1 migrations apply` asks for confirmation on a terminal; CI mode answers it.
  CI: process.env.CI ?? "true",
};

export function spawnWrangler(args, options = {}) {
  return spawn(process.execPath, [wranglerBin, ...args], { stdio: "inherit", env: quietEnv, ...options });
}

export function runWrangler(args, options = {}) {
  return new Promise((resolve, reject) => {
    const child = spawnWrangler(args, options);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(" ")} exited with ${code}`))));
  });
}

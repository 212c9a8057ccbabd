#!/usr/bin/env node
// `npm run dev`: make sure .dev.vars has an ADMIN_TOKEN, apply local D1 migrations without prompting,
// then run `wrangler dev` on 127.0.0.1:8787 with local D1, KV and Durable Object state.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runWrangler, spawnWrangler } from "./wrangler.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const devVars = path.join(root, ".dev.vars");
const extraArgs = process.argv.slice(2);

if (!existsSync(devVars) || !/^ADMIN_TOKEN=.{32,}$/m.test(readFileSync(devVars, "utf8"))) {
  const token = randomBytes(32).toString("base64url");
  const previous = existsSync(devVars) ? readFileSync(devVars, "utf8").replace(/^ADMIN_TOKEN=.*\n?/m, "") : "";
  writeFileSync(devVars, `${previous}ADMIN_TOKEN=${token}\n`, { mode: 0o600 });
  console.log(`Created ${devVars} with a random ADMIN_TOKEN (the operator credential for /api/v1 and /admin).`);
} else {
  console.log(`Using the ADMIN_TOKEN in ${devVars}.`);
}

// The key that encrypts OIDC client secrets (single sign-on); without it OIDC cannot be configured.
if (!/^SSO_SECRET_KEY=.{32,}$/m.test(readFileSync(devVars, "utf8"))) {
  const previous = readFileSync(devVars, "utf8").replace(/^SSO_SECRET_KEY=.*\n?/m, "");
  writeFileSync(devVars, `${previous}SSO_SECRET_KEY=${randomBytes(32).toString("base64url")}\n`, { mode: 0o600 });
  console.log(`Added a random SSO_SECRET_KEY to ${devVars} (it encrypts OIDC client secrets).`);
}
// Setup links are built on PUBLIC_ORIGIN only (never on a request's Host), so the local service gets
// its own address unless .dev.vars or the command line names another.
const origin = "http://127.0.0.1:8787";
const setsOrigin = /^PUBLIC_ORIGIN=./m.test(readFileSync(devVars, "utf8")) || extraArgs.some((a) => a.startsWith("PUBLIC_ORIGIN:"));
const originArgs = setsOrigin ? [] : ["--var", `PUBLIC_ORIGIN:${origin}`];

const persist = extraArgs.includes("--persist-to") ? ["--persist-to", extraArgs[extraArgs.indexOf("--persist-to") + 1]] : [];
await runWrangler(["d1", "migrations", "apply", "DB", "--local", ...persist], { cwd: root });
const child = spawnWrangler(["dev", "--ip", "127.0.0.1", "--port", "8787", ...originArgs, ...extraArgs], { cwd: root });
child.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));

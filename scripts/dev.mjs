#!/usr/bin/env node
// `npm run dev`: make sure .dev.vars has an ADMIN_TOKEN and a CURSOR_SECRET, apply local D1 migrations without prompting,
// then run `wrangler dev` on 127.0.0.1:8787 with local D1, KV and Durable Object state.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runWrangler, spawnWrangler } from "./wrangler.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const devVars = path.join(root, ".dev.vars");
const extraArgs = process.argv.slice(2);

/** Makes sure .dev.vars holds `name` with at least 32 characters, generating a random one otherwise. */
function ensureSecret(name, what) {
  const line = new RegExp(`^${name}=.{32,}$`, "m");
  if (existsSync(devVars) && line.test(readFileSync(devVars, "utf8"))) {
    console.log(`Using the ${name} in ${devVars}.`);
    return;
  }
  const secret = randomBytes(32).toString("base64url");
  const previous = existsSync(devVars) ? readFileSync(devVars, "utf8").replace(new RegExp(`^${name}=.*\n?`, "m"), "") : "";
  const separator = previous && !previous.endsWith("\n") ? "\n" : "";
  writeFileSync(devVars, `${previous}${separator}${name}=${secret}\n`, { mode: 0o600 });
  console.log(`Wrote a random ${name} to ${devVars} (${what}).`);
}

ensureSecret("ADMIN_TOKEN", "the operator credential for /api/v1 and /admin");
ensureSecret("CURSOR_SECRET", "signs the cursors of cursor pagination");
// The key that encrypts OIDC client secrets (single sign-on); without it OIDC cannot be configured.
ensureSecret("SSO_SECRET_KEY", "it encrypts OIDC client secrets");
// The key that encrypts webhook endpoints' signing secrets; without it no endpoint can be created.
ensureSecret("WEBHOOK_SECRET_KEY", "it encrypts webhook signing secrets");
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

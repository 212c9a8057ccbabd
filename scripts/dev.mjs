#!/usr/bin/env node
// `npm run dev`: make sure .dev.vars has an ADMIN_TOKEN, a CURSOR_SECRET and an SSO_SECRET_KEY, apply local D1
// migrations without prompting, then run `wrangler dev` on 127.0.0.1 with local D1, KV and Durable Object
// state, and print the console URL and the bootstrap command once it answers.
//
//   npm run dev                      port 8787
//   npm run dev -- --port 8788       another port (also the origin of links: PUBLIC_ORIGIN)
//   npm run dev -- --tunnel          also a Cloudflare Quick Tunnel (needs the internet); its
//                                    https://….trycloudflare.com URL becomes PUBLIC_ORIGIN while it runs
// Any other argument goes to `wrangler dev` as it is.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { devArgs, TUNNEL_URL } from "./dev-args.mjs";
import { runWrangler, spawnWrangler } from "./wrangler.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const devVars = path.join(root, ".dev.vars");
const { port, tunnel, persistTo, passThrough } = devArgs(process.argv.slice(2));
const origin = `http://127.0.0.1:${port}`;

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

// Setup links are built on PUBLIC_ORIGIN only (never on a request's Host), so the local service gets its
// own address unless .dev.vars or the command line names another.
const setsOrigin =
  /^PUBLIC_ORIGIN=./m.test(readFileSync(devVars, "utf8")) || passThrough.some((a) => a.startsWith("PUBLIC_ORIGIN:"));
let originArgs = setsOrigin ? [] : ["--var", `PUBLIC_ORIGIN:${origin}`];

// With --tunnel the public origin is the tunnel's, which wrangler learns only after it has started. It
// cannot be a --var (fixed at start), so it goes in an env file read after .dev.vars; when the tunnel's URL
// appears, the file is rewritten and wrangler.toml touched: wrangler re-reads its config and env files on
// that and reloads the Worker with the new PUBLIC_ORIGIN (same process, same tunnel).
const tunnelVars = path.join(root, ".wrangler", "tunnel.vars");
if (tunnel) {
  mkdirSync(path.dirname(tunnelVars), { recursive: true });
  writeFileSync(tunnelVars, setsOrigin ? "" : `PUBLIC_ORIGIN=${origin}\n`, { mode: 0o600 });
  originArgs = ["--env-file", devVars, "--env-file", tunnelVars];
}

await runWrangler(["d1", "migrations", "apply", "DB", "--local", ...persistTo], { cwd: root });
const args = ["dev", "--ip", "127.0.0.1", "--port", String(port), ...(tunnel ? ["--tunnel"] : []), ...originArgs, ...passThrough];
// Wrangler's output is read only to find the tunnel's URL; otherwise it goes straight to the terminal.
const child = spawnWrangler(args, { cwd: root, stdio: tunnel ? ["inherit", "pipe", "inherit"] : "inherit" });
child.on("exit", (code) => process.exit(code ?? 0));
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));

let publicOrigin = setsOrigin ? undefined : origin;
if (tunnel) {
  let seen = "";
  child.stdout.on("data", (chunk) => {
    process.stdout.write(chunk);
    if (publicOrigin?.endsWith(".trycloudflare.com")) return;
    seen = (seen + chunk).slice(-4096);
    const url = TUNNEL_URL.exec(seen)?.[0];
    if (!url) return;
    if (setsOrigin) {
      console.log(`\nThe tunnel is ${url}, but PUBLIC_ORIGIN is set in .dev.vars or on the command line, so links keep using that.`);
      return;
    }
    publicOrigin = url;
    writeFileSync(tunnelVars, `PUBLIC_ORIGIN=${url}\n`, { mode: 0o600 });
    const now = new Date();
    utimesSync(path.join(root, "wrangler.toml"), now, now); // wrangler reloads on a change of its config
    console.log(`\nPUBLIC_ORIGIN is now ${url}: SCIM URLs and setup links use the tunnel while it runs.`);
    console.log(`SCIM URL for your identity provider: ${url}/scim/v2`);
  });
}

/** Waits until the Worker answers, then says where to go next. */
async function announce() {
  for (let i = 0; i < 600 && child.exitCode === null; i++) {
    try {
      if ((await fetch(`${origin}/scim/v2/ServiceProviderConfig`)).ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  if (child.exitCode !== null) return;
  const bootstrap = port === 8787 ? "npm run bootstrap" : `npm run bootstrap -- --url ${origin}`;
  console.log(
    [
      "",
      `edge-scim is running on ${origin}`,
      `  Admin console:  ${origin}/admin   (sign in with the ADMIN_TOKEN in .dev.vars)`,
      `  SCIM URL:       ${publicOrigin ?? origin}/scim/v2`,
      `  Next, in a second terminal, create an organization and a SCIM token:`,
      `    ${bootstrap}${port === 8787 ? " --" : ""} --org "Acme" --description JumpCloud`,
      "",
    ].join("\n"),
  );
}
void announce();

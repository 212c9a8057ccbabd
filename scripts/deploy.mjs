#!/usr/bin/env node
// `npm run deploy`: refuse while wrangler.toml still holds the placeholder D1 or KV id (the ones `npm test`
// bundles against), then apply the remote D1 migrations and run `wrangler deploy`. docs/deploy.md.
//
//   npm run deploy                       check, migrate, deploy
//   npm run deploy -- --dry-run          arguments after `--` go to `wrangler deploy`
//   node scripts/deploy.mjs --check [--config <file>]   only the check (exit 1 with the reasons)
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** An id made only of zeros (and dashes): the repository's placeholders, never a real resource's id. */
const PLACEHOLDER = /^[0-]*$/;

/** What keeps `config` (wrangler.toml's text) from being deployed: one sentence per problem. */
export function placeholderProblems(config) {
  const problems = [];
  // Each [[d1_databases]] / [[kv_namespaces]] table runs to the next table header.
  const tables = (name) => config.split(/^(?=\s*\[)/m).filter((t) => t.trimStart().startsWith(`[[${name}]]`));
  const value = (table, key) => new RegExp(`^\\s*${key}\\s*=\\s*"([^"]*)"`, "m").exec(table)?.[1];
  const check = (kind, table, key, how) => {
    const binding = value(table, "binding") ?? "?";
    const id = value(table, key);
    if (id === undefined || PLACEHOLDER.test(id)) {
      problems.push(`${kind} binding ${binding}: ${key} is ${id === undefined ? "missing" : `the placeholder "${id}"`}; ${how}`);
    }
  };
  const d1 = tables("d1_databases");
  const kv = tables("kv_namespaces");
  if (d1.length === 0) problems.push("no [[d1_databases]] binding in wrangler.toml");
  if (kv.length === 0) problems.push("no [[kv_namespaces]] binding in wrangler.toml");
  for (const t of d1) check("D1", t, "database_id", "create the database with `npx wrangler d1 create edge-scim --location <region>` and paste its database_id");
  for (const t of kv) check("KV", t, "id", "create the namespace with `npx wrangler kv namespace create TOKEN_CACHE` and paste its id");
  return problems;
}

function wrangler(args) {
  const bin = createRequire(import.meta.url).resolve("wrangler/bin/wrangler.js");
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd: root, stdio: "inherit" });
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(" ")} exited with ${code}`))));
  });
}

async function main(argv) {
  const checkOnly = argv.includes("--check");
  const at = argv.indexOf("--config");
  const configFile = path.resolve(root, at >= 0 ? argv[at + 1] : "wrangler.toml");
  const rest = argv.filter((a, i) => a !== "--check" && !(at >= 0 && (i === at || i === at + 1)));
  const problems = placeholderProblems(readFileSync(configFile, "utf8"));
  if (problems.length > 0) {
    console.error(`Not deploying: ${path.relative(process.cwd(), configFile) || configFile} still has placeholder ids (docs/deploy.md, step 1).`);
    for (const p of problems) console.error(`  - ${p}`);
    process.exit(1);
  }
  console.log(`${path.relative(process.cwd(), configFile) || configFile}: D1 and KV ids are set.`);
  if (checkOnly) return;
  const config = at >= 0 ? ["--config", configFile] : [];
  // A dry run changes nothing remote, so it applies no migrations either.
  if (!rest.includes("--dry-run")) await wrangler(["d1", "migrations", "apply", "DB", "--remote", ...config]);
  await wrangler(["deploy", ...config, ...rest]);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).catch((err) => {
    console.error(err.message);
    process.exit(1);
  });
}

#!/usr/bin/env node
// `npm run bootstrap -- --org "Acme"`: against a running `npm run dev`, create an organization, enable
// SCIM, mint a token, and print what to paste into the identity provider.
import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { values } = parseArgs({
  options: {
    org: { type: "string", default: "Acme" },
    url: { type: "string", default: process.env.EDGE_SCIM_URL ?? "http://127.0.0.1:8787" },
    description: { type: "string", default: "bootstrap" },
    "ttl-days": { type: "string", default: "365" },
    "admin-token": { type: "string" },
  },
});

function adminToken() {
  if (values["admin-token"]) return values["admin-token"];
  if (process.env.ADMIN_TOKEN) return process.env.ADMIN_TOKEN;
  const vars = readFileSync(path.join(root, ".dev.vars"), "utf8");
  const match = /^ADMIN_TOKEN=(.*)$/m.exec(vars);
  if (!match) throw new Error("No ADMIN_TOKEN in .dev.vars; run `npm run dev` first");
  return match[1].trim();
}

const headers = { Authorization: `Bearer ${adminToken()}`, "Content-Type": "application/json" };

async function call(method, route, body) {
  const res = await fetch(`${values.url}/api/v1${route}`, { method, headers, body: JSON.stringify(body) });
  const json = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${method} ${route} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

try {
  const org = await call("POST", "/orgs", { name: values.org });
  await call("PATCH", `/orgs/${org.id}/scim`, { enabled: true });
  const minted = await call("POST", `/orgs/${org.id}/scim/tokens`, {
    description: values.description,
    ttlDays: Number(values["ttl-days"]),
  });
  console.log(`Organization: ${org.name}`);
  console.log(`Org id:       ${org.id}`);
  console.log(`SCIM URL:     ${minted.scimUrl}`);
  console.log(`SCIM token:   ${minted.token}`);
  console.log(`Expires:      ${minted.expiresAt ?? "never"}`);
} catch (err) {
  console.error(`bootstrap failed: ${err.message}`);
  console.error(`Is the dev server running at ${values.url}? Start it with: npm run dev`);
  process.exit(1);
}

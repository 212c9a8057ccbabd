// `npm run deploy` refuses to deploy while wrangler.toml still has the placeholder D1 or KV id (docs/deploy.md).
// Only the check runs here (`--check`): nothing is deployed, and no network is needed.
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { ROOT } from "./support/dev-server";

const run = promisify(execFile);
const dir = mkdtempSync(path.join(tmpdir(), "edge-scim-deploy-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const committed = readFileSync(path.join(ROOT, "wrangler.toml"), "utf8");
const REAL_D1 = "3f9c2a51-7d1e-4b8a-9c0d-2e5f6a7b8c9d";
const REAL_KV = "0123456789abcdef0123456789abcdef";

async function check(config: string): Promise<{ code: number; output: string }> {
  const file = path.join(dir, `wrangler-${Math.random().toString(36).slice(2)}.toml`);
  writeFileSync(file, config);
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(ROOT, "scripts/deploy.mjs"), "--check", "--config", file], { cwd: ROOT });
    return { code: 0, output: stdout + stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

describe("npm run deploy's placeholder check", () => {
  it("refuses the committed wrangler.toml, naming both placeholders and how to replace them", async () => {
    const { code, output } = await check(committed);
    expect(code).toBe(1);
    expect(output).toContain("Not deploying");
    expect(output).toMatch(/D1 binding DB: database_id is the placeholder "0{8}-0{4}-0{4}-0{4}-0{12}"; create the database with `npx wrangler d1 create/);
    expect(output).toMatch(/KV binding TOKEN_CACHE: id is the placeholder "0{32}"; create the namespace with `npx wrangler kv namespace create TOKEN_CACHE`/);
  });

  it("refuses while either one is still a placeholder", async () => {
    const d1Only = committed.replace(/database_id = "0[0-]*"/, `database_id = "${REAL_D1}"`);
    const kvOnly = committed.replace(/^id = "0+"/m, `id = "${REAL_KV}"`);
    const a = await check(d1Only);
    expect(a.code).toBe(1);
    expect(a.output).toContain("KV binding TOKEN_CACHE");
    expect(a.output).not.toContain("D1 binding DB");
    const b = await check(kvOnly);
    expect(b.code).toBe(1);
    expect(b.output).toContain("D1 binding DB");
    expect(b.output).not.toContain("KV binding TOKEN_CACHE");
  });

  it("refuses a missing id or binding", async () => {
    const noId = committed.replace(/^database_id = .*$/m, "");
    expect((await check(noId)).output).toContain("database_id is missing");
    const noKv = committed.replace(/\[\[kv_namespaces\]\][^[]*/, "");
    expect((await check(noKv)).output).toContain("no [[kv_namespaces]] binding");
  });

  it("passes once both ids are real", async () => {
    const real = committed.replace(/database_id = "0[0-]*"/, `database_id = "${REAL_D1}"`).replace(/^id = "0+"/m, `id = "${REAL_KV}"`);
    const { code, output } = await check(real);
    expect(output).toContain("D1 and KV ids are set");
    expect(code).toBe(0);
  });
});

// The README's commands, run as written: `npm run dev` (with `-- --port <free port>`, which the README
// documents), the bootstrap command it prints, and the README's curl blocks marked for this test, in a
// throwaway copy of the repository (its own .dev.vars and .wrangler/state; node_modules linked). The only
// change to the commands is the port. `npm run dev -- --tunnel` needs the internet and is not run.
import { execFile, spawn, type ChildProcess } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort, ROOT } from "./support/dev-server";

const sh = promisify(execFile);
const README = readFileSync(path.join(ROOT, "README.md"), "utf8");

/** The fenced blocks right after a `<!-- test/e2e/readme.e2e.test.ts … -->` comment, in README order. */
function markedBlocks(): string[] {
  const marked = /<!-- test\/e2e\/readme\.e2e\.test\.ts[^>]*-->\n```sh\n([\s\S]*?)```/g;
  return [...README.matchAll(marked)].map((m) => m[1]);
}

let dir: string;
let port: number;
let dev: ChildProcess;
let output = "";
const base = () => `http://127.0.0.1:${port}`;
/** A README line with the port changed: the only edit made to what the README says. */
const withPort = (text: string) => text.replaceAll("127.0.0.1:8787", `127.0.0.1:${port}`);

async function bash(script: string, env: Record<string, string> = {}): Promise<string> {
  const { stdout } = await sh("bash", ["-euo", "pipefail", "-c", script], {
    cwd: dir,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", ...env },
    maxBuffer: 16 * 1024 * 1024,
  });
  return stdout;
}

async function waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(output);
    if (match) return match;
    if (dev.exitCode !== null) throw new Error(`npm run dev exited with ${dev.exitCode}:\n${output}`);
    if (Date.now() > deadline) throw new Error(`npm run dev did not print ${pattern} within ${timeoutMs} ms:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  // A copy, so that the README's `npm run dev` writes its .dev.vars and .wrangler/ there, not into the checkout.
  dir = mkdtempSync(path.join(tmpdir(), "edge-scim-readme-"));
  for (const entry of ["src", "drizzle", "scripts", "package.json", "wrangler.toml", "tsconfig.json", "worker-configuration.d.ts"]) {
    cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
  port = await freePort();
  const inspector = await freePort();
  // `npm run dev -- --port N` as the README documents; the inspector port only keeps it clear of other wrangler runs.
  dev = spawn("npm", ["run", "dev", "--", "--port", String(port), "--inspector-port", String(inspector)], {
    cwd: dir,
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" },
    detached: true, // its own process group: npm, node, wrangler and workerd stop together
    stdio: ["ignore", "pipe", "pipe"],
  });
  dev.stdout!.on("data", (d) => (output += String(d)));
  dev.stderr!.on("data", (d) => (output += String(d)));
  await waitFor(/edge-scim is running on/, 110_000);
}, 120_000);

afterAll(async () => {
  if (dev && dev.exitCode === null) {
    const exited = new Promise((r) => dev.once("exit", r));
    try {
      process.kill(-dev.pid!, "SIGTERM");
    } catch {
      dev.kill("SIGTERM");
    }
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
    if (dev.exitCode === null) {
      try {
        process.kill(-dev.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
}, 30_000);

describe("the README, as written", () => {
  it("npm run dev -- --port N serves on that port, with PUBLIC_ORIGIN on it, and prints the console URL and the bootstrap command", async () => {
    expect(output).toContain(`edge-scim is running on ${base()}`);
    expect(output).toContain(`Admin console:  ${base()}/admin`);
    expect(output).toContain(`SCIM URL:       ${base()}/scim/v2`);
    // The README's bootstrap example, with the --url the other port needs.
    const readmeBootstrap = /^npm run bootstrap -- (.*)$/m.exec(README)![1];
    expect(readmeBootstrap).toBe('--org "Acme" --description JumpCloud');
    expect(output).toContain(`npm run bootstrap -- --url ${base()} ${readmeBootstrap}`);
    expect(readFileSync(path.join(dir, ".dev.vars"), "utf8")).toMatch(/^ADMIN_TOKEN=.{32,}$/m);
    const console = await fetch(`${base()}/admin/sign-in`);
    expect(console.status).toBe(200);
  });

  it("the bootstrap command npm run dev printed creates an org and a working token named JumpCloud", async () => {
    const printed = /^\s*(npm run bootstrap -- .*)$/m.exec(output)![1];
    const stdout = await bash(printed);
    const field = (name: string) => new RegExp(`^${name}:\\s+(\\S+)$`, "m").exec(stdout)?.[1];
    expect(field("SCIM URL")).toBe(`${base()}/scim/v2`);
    const token = field("SCIM token")!;
    const res = await fetch(`${base()}/scim/v2/Users`, { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    // The token carries the README's --description.
    const admin = /^ADMIN_TOKEN=(.*)$/m.exec(readFileSync(path.join(dir, ".dev.vars"), "utf8"))![1];
    const orgId = field("Org id")!;
    const tokens = await (await fetch(`${base()}/api/v1/orgs/${orgId}/scim/tokens`, { headers: { Authorization: `Bearer ${admin}` } })).json();
    expect(tokens.tokens.map((t: { description: string }) => t.description)).toEqual(["JumpCloud"]);
  });

  it("the by-hand curl block and the SCIM smoke example run as written, and the user is in the console", async () => {
    const blocks = markedBlocks();
    expect(blocks).toHaveLength(2);
    expect(blocks[0]).toContain("ORG=$(curl"); // $ORG is set before it is used
    // One shell, as a reader pastes them one after the other; print what the console check needs.
    const stdout = await bash(`${withPort(blocks.join("\n"))}\necho "ORG=$ORG"\necho "ADMIN=$ADMIN"`);
    const orgId = /^ORG=(\S+)$/m.exec(stdout)![1];
    const admin = /^ADMIN=(\S+)$/m.exec(stdout)![1];
    expect(orgId).toMatch(/^[0-9a-f-]{36}$/);

    // The PATCH's answer names the SCIM URL on this port.
    expect(stdout).toContain(`"scimUrl":"${base()}/scim/v2"`);
    // Lookup (nobody), create (the user), lookup (found), as the README says.
    const answers = stdout.split("\n").filter((line) => line.startsWith("{"));
    const lookups = answers.filter((a) => a.includes("ListResponse")).map((a) => JSON.parse(a));
    expect(lookups.map((l) => l.totalResults)).toEqual([0, 1]);
    const created = answers.map((a) => JSON.parse(a)).find((a) => a.userName === "alice@example.com" && a.id);
    expect(created).toMatchObject({ userName: "alice@example.com", active: true, name: { givenName: "Alice", familyName: "Smith" } });
    expect(stdout).toContain(`Open ${base()}/admin/orgs/${orgId}/directory/users`);

    // "See it in the console": the page the README names answers a signed-in operator, and the users API its
    // script renders from (with the same session cookie) lists Alice as active and pending setup.
    const session = await fetch(`${base()}/api/v1/console/session`, { method: "POST", headers: { Authorization: `Bearer ${admin}` } });
    expect(session.status).toBeLessThan(300);
    const cookie = session.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
    const page = await fetch(`${base()}/admin/orgs/${orgId}/directory/users`, { headers: { Cookie: cookie } });
    expect(page.status).toBe(200);
    const users = await (await fetch(`${base()}/api/v1/orgs/${orgId}/users`, { headers: { Cookie: cookie } })).json();
    expect(users.users).toMatchObject([{ userName: "alice@example.com", active: true, setupState: "pending" }]);

    // And the provisioning log shows the three requests under the token's name (written just after each response).
    let smoke: { tokenDescription: string }[] = [];
    for (let i = 0; i < 40 && smoke.length < 3; i++) {
      const log = await (await fetch(`${base()}/api/v1/orgs/${orgId}/scim/log`, { headers: { Authorization: `Bearer ${admin}` } })).json();
      smoke = log.entries.filter((e: { path: string }) => e.path.includes("/Users"));
      if (smoke.length < 3) await new Promise((r) => setTimeout(r, 250));
    }
    expect(smoke.map((e) => e.tokenDescription)).toEqual(["JumpCloud", "JumpCloud", "JumpCloud"]);
  });
});

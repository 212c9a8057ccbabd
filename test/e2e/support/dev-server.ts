/**
 * Starts the Worker under `wrangler dev` (local workerd; D1, KV and Durable Object state in a fresh
 * temporary directory) for tests and benchmarks that drive it over real HTTP from Node.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const WRANGLER = path.join(ROOT, "node_modules/wrangler/bin/wrangler.js");

export interface DevServer {
  baseUrl: string;
  adminToken: string;
  persistDir: string;
  /** Everything wrangler printed, for diagnosing a failed start or a failed test. */
  output(): string;
  stop(): Promise<void>;
}

export interface DevServerOptions {
  /** The wrangler config to run, relative to the repository root (the bench passes bench/wrangler.toml). */
  config?: string;
  /** Extra `--var KEY:VALUE` pairs. */
  vars?: Record<string, string>;
  /** Pass wrangler's own output through to this process. */
  inheritOutput?: boolean;
}

/** A TCP port on 127.0.0.1 that nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

const quietEnv = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", CI: "true" };

function run(args: string[], log: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WRANGLER, ...args], { cwd: ROOT, env: quietEnv });
    child.stdout.on("data", (d) => log.push(String(d)));
    child.stderr.on("data", (d) => log.push(String(d)));
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`wrangler ${args.join(" ")} exited with ${code}:\n${log.join("")}`)),
    );
  });
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, log: string[], timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited early:\n${log.join("")}`);
    try {
      const res = await fetch(`${baseUrl}/scim/v2/ServiceProviderConfig`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not become ready within ${timeoutMs} ms:\n${log.join("")}`);
}

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const persistDir = mkdtempSync(path.join(tmpdir(), "edge-scim-"));
  const adminToken = randomBytes(32).toString("base64url");
  const log: string[] = [];
  const config = ["--config", path.resolve(ROOT, options.config ?? "wrangler.toml")];
  await run(["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistDir, ...config], log);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  // Every variable the Worker reads is set explicitly, so that a developer's .dev.vars cannot leak in.
  const vars = {
    ADMIN_TOKEN: adminToken,
    // The server's own address, as `npm run dev` sets it: setup links are built on PUBLIC_ORIGIN only.
    PUBLIC_ORIGIN: baseUrl,
    SETUP_WEBHOOK_URL: "",
    SETUP_WEBHOOK_SECRET: "",
    SSO_SECRET_KEY: randomBytes(32).toString("base64url"),
    WEBHOOK_SECRET_KEY: randomBytes(32).toString("base64url"),
    // Webhook retries in seconds, not hours, so that an end-to-end test sees a dead receiver come back.
    WEBHOOK_RETRY_DELAYS: "1,1,2,2,3,3,5,5,8,8",
    ...options.vars,
  };
  const args = [WRANGLER, "dev", ...config, "--ip", "127.0.0.1", "--port", String(port), "--persist-to", persistDir];
  args.push("--inspector-port", String(await freePort()), "--show-interactive-dev-session=false");
  for (const [key, value] of Object.entries(vars)) args.push("--var", `${key}:${value}`);
  const child = spawn(process.execPath, args, { cwd: ROOT, env: quietEnv, detached: true });
  const collect = (d: Buffer) => {
    log.push(String(d));
    if (options.inheritOutput) process.stderr.write(d);
  };
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);

  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      try {
        process.kill(-child.pid!, "SIGTERM"); // the whole group: wrangler and its workerd
      } catch {
        child.kill("SIGTERM");
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) process.kill(-child.pid!, "SIGKILL");
    }
    rmSync(persistDir, { recursive: true, force: true });
  };
  try {
    await waitUntilReady(baseUrl, child, log, 60_000);
  } catch (err) {
    await stop();
    throw err;
  }
  return { baseUrl, adminToken, persistDir, output: () => log.join(""), stop };
}

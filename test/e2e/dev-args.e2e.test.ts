// `npm run dev`'s own arguments (scripts/dev-args.mjs), and the wrangler behaviour `--tunnel` relies on.
// `--port` is also run for real by readme.e2e.test.ts; `--tunnel` needs the internet, so only what
// dev.mjs reads from wrangler is pinned here.
import { execFile } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { ROOT } from "./support/dev-server";

const run = promisify(execFile);
const module = pathToFileURL(path.join(ROOT, "scripts/dev-args.mjs")).href;

/** Calls devArgs in a plain Node process (the scripts are untyped .mjs, outside the TypeScript projects). */
async function devArgs(argv: string[]) {
  const code = `import { devArgs } from ${JSON.stringify(module)}; console.log(JSON.stringify(devArgs(${JSON.stringify(argv)})));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", code]);
  return JSON.parse(stdout);
}

async function tunnelUrl(line: string): Promise<string | null> {
  const code = `import { TUNNEL_URL } from ${JSON.stringify(module)}; console.log(JSON.stringify(TUNNEL_URL.exec(${JSON.stringify(line)})?.[0] ?? null));`;
  const { stdout } = await run(process.execPath, ["--input-type=module", "-e", code]);
  return JSON.parse(stdout);
}

describe("npm run dev's arguments", () => {
  it("defaults to port 8787, no tunnel, everything else to wrangler", async () => {
    expect(await devArgs([])).toEqual({ port: 8787, tunnel: false, persistTo: [], passThrough: [] });
  });

  it("takes --port N and --port=N, and --tunnel, passing the rest through", async () => {
    expect(await devArgs(["--port", "8788", "--tunnel", "--var", "APP_NAME:Vault"])).toEqual({
      port: 8788,
      tunnel: true,
      persistTo: [],
      passThrough: ["--var", "APP_NAME:Vault"],
    });
    expect((await devArgs(["--port=9000"])).port).toBe(9000);
  });

  it("gives --persist-to to the migrations too", async () => {
    expect(await devArgs(["--persist-to", "/tmp/s"])).toMatchObject({ persistTo: ["--persist-to", "/tmp/s"], passThrough: ["--persist-to", "/tmp/s"] });
  });

  it("refuses a --port that is not a port", async () => {
    await expect(devArgs(["--port", "web"])).rejects.toThrow(/--port needs a port number/);
  });
});

describe("wrangler dev --tunnel, as dev.mjs reads it", () => {
  it("finds the Quick Tunnel URL in wrangler's line, colours and all", async () => {
    const line = "\u2B23 Sharing via Cloudflare Tunnel: \u001b[32mhttps://alpha-beta-42.trycloudflare.com\u001b[39m\n";
    expect(await tunnelUrl(line)).toBe("https://alpha-beta-42.trycloudflare.com");
    expect(await tunnelUrl("Ready on http://127.0.0.1:8787")).toBeNull();
  });

  it("the installed wrangler still prints that line and still has --tunnel (pinned: an upgrade that changes it fails here)", () => {
    const cli = readFileSync(path.join(ROOT, "node_modules/wrangler/wrangler-dist/cli.js"), "utf8");
    expect(cli).toContain("Sharing via Cloudflare Tunnel: ");
    expect(cli).toContain("QUICK_TUNNEL_URL_REGEX = /https:\\/\\/[a-z0-9-]+\\.trycloudflare\\.com/");
    expect(cli).toMatch(/tunnel: \{\s*describe: "Expose your local dev server via a Cloudflare Quick Tunnel/);
    // dev.mjs switches PUBLIC_ORIGIN by rewriting an --env-file and touching wrangler.toml: wrangler re-reads
    // its config (and with it the env files) when the config file changes.
    expect(cli).toContain("this.#configWatcher = watch(configPath");
  });
});

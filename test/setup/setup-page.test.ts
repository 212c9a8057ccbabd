import { describe, expect, it } from "vitest";
import { request, viaApp, viaWorker } from "../support/helpers";
import { complete, linkToken, orgWithUsers, rowCount, testBundle } from "../support/setup-helpers";

const get = (path: string) => viaWorker(request("GET", path));

function expectSetupHeaders(res: Response) {
  const csp = res.headers.get("Content-Security-Policy") ?? "";
  const directives = csp.split(";").map((d) => d.trim());
  expect(directives).toContain("default-src 'self'");
  expect(directives).toContain("frame-ancestors 'none'");
  expect(csp).not.toMatch(/unsafe-inline|unsafe-eval|\*|https?:/);
  expect(res.headers.get("Referrer-Policy")).toBe("no-referrer");
  expect(res.headers.get("Cache-Control")).toBe("no-store");
  expect(res.headers.get("X-Content-Type-Options")).toBe("nosniff");
}

describe("the /setup page", () => {
  it("names the application from APP_NAME when it is set, and only generically when it is empty", async () => {
    const named = await (await viaApp({ env: { APP_NAME: "Acme <Vault>" } })(request("GET", "/setup"))).text();
    expect(named).toContain("<title>Finish your account setup for Acme &lt;Vault&gt;</title>");
    expect(named).toContain('data-app-name="Acme &lt;Vault&gt;"');
    const plain = await (await get("/setup")).text();
    expect(plain).toContain("<title>Finish your account setup</title>");
    expect(plain).toContain('data-app-name=""');
  });

  it("serves static markup with strict headers, its script and styles from this origin only", async () => {
    const res = await get("/setup");
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^text\/html/);
    expectSetupHeaders(res);
    const html = await res.text();
    expect(html).toMatch(/^<!doctype html>/i);
    // No inline script or style: every <script> has a same-origin src and no body.
    const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts).toHaveLength(1);
    expect(scripts[0][1]).toContain('src="/setup/setup.js"');
    expect(scripts[0][2]).toBe("");
    expect(html).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//);
    // Inputs carry no name: a form submitted without the script would send nothing.
    expect(html).not.toMatch(/<input[^>]*\sname=/);
    for (const id of ["passphrase", "passphrase-confirm", "unlock-passphrase"]) {
      expect(html).toMatch(new RegExp(`<label for="${id}">`));
    }

    for (const [path, type] of [
      ["/setup/setup.js", /^text\/javascript/],
      ["/setup/setup.css", /^text\/css/],
      ["/setup/favicon.svg", /^image\/svg\+xml/],
    ] as const) {
      const asset = await get(path);
      expect(asset.status).toBe(200);
      expect(asset.headers.get("Content-Type")).toMatch(type);
      expectSetupHeaders(asset);
    }
    const script = await (await get("/setup/setup.js")).text();
    expect(script).toContain('iterations: 600000');
    expect(script).toContain('"/api/v1/setup/complete"');
    expect(script).not.toMatch(/https?:\/\//);
  });

  it("never consumes or reveals a token when opened (mail scanners fetch links too)", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    for (const path of ["/setup", `/setup?token=${token}`, "/setup/setup.js"]) {
      const res = await get(path);
      expect(res.status).toBe(200);
      expect(await res.text()).not.toContain(token);
    }
    expect(await rowCount("setup_links", "user_id = ? AND used_at IS NULL", userId)).toBe(1);
    expect((await complete(token, await testBundle())).status).toBe(200);
  });
});

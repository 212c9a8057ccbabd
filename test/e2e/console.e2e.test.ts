// The admin console in Chromium against `wrangler dev`: sign in, create an org, enable SCIM, mint a
// token and copy it, use it, read the provisioning log, revoke, sign out. Screenshots at 1280 and
// 390 px go to test/artifacts/; every page gets an axe-core scan.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { capture as captureAt, expectAccessible as scan, openConsoleBrowser, poll } from "./support/console-page";

const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");

let browser: Browser;
let context: BrowserContext;
let page: Page;

/** What the test learns along the way. */
const state = { orgId: "", scimUrl: "", token: "" };

beforeAll(async () => {
  ({ browser, context, page } = await openConsoleBrowser(baseUrl));
});

afterAll(async () => {
  await browser?.close();
});

const expectAccessible = (name: string) => scan(page, name);
const capture = (name: string) => captureAt(page, `console-${name}`);

async function scim(pathAndQuery: string, init: { method?: string; body?: unknown } = {}) {
  const res = await fetch(`${state.scimUrl}${pathAndQuery}`, {
    method: init.method ?? "GET",
    headers: {
      Authorization: `Bearer ${state.token}`,
      "User-Agent": "e2e-scim-client/1.0",
      ...(init.body ? { "Content-Type": "application/scim+json" } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return { status: res.status, body: (await res.json()) as { detail?: string; scimType?: string } };
}

function logRow(request: string) {
  return page.locator("#log-table tbody tr", { has: page.locator(".request", { hasText: request }) });
}

async function openLog() {
  await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Provisioning log" }).click();
  await page.waitForURL(/\/provisioning-log$/);
  await poll(() => page.locator("#log-table tbody tr[data-entry-id]").count()).toBeGreaterThan(0);
}

describe("admin console", () => {
  it("sends a visitor to sign in and refuses a wrong operator token", async () => {
    await page.goto(`${baseUrl}/admin`);
    await page.waitForURL(/\/admin\/sign-in\?next=%2Fadmin$/);
    await expectAccessible("sign-in");
    await capture("sign-in");
    await page.getByLabel("Operator token").fill("not-the-operator-token");
    await page.getByRole("button", { name: "Sign in" }).click();
    await poll(() => page.getByRole("alert").textContent()).toMatch(/operator credential/);
  });

  it("signs in with the keyboard and lands on the organizations", async () => {
    const field = page.getByLabel("Operator token");
    await field.fill("");
    await field.focus();
    await page.keyboard.type(adminToken);
    await page.keyboard.press("Enter");
    await page.waitForURL(`${baseUrl}/admin`);
    const [cookie] = (await context.cookies()).filter((c) => c.name === "edge_scim_console");
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
    expect(cookie.value).not.toContain(adminToken);
  });

  it("creates an organization and opens its SCIM Configuration", async () => {
    await poll(() => page.locator("#org-table tbody td").first().textContent()).not.toBe("Loading…");
    await expectAccessible("organizations");
    await capture("organizations");
    await page.getByLabel("Name").fill("Acme E2E");
    await page.getByRole("button", { name: "Create organization" }).click();
    await page.waitForURL(/\/admin\/orgs\/[0-9a-f-]{36}\/settings\/authentication\/scim$/);
    state.orgId = /orgs\/([0-9a-f-]{36})/.exec(page.url())![1];
    await poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("SCIM Configuration");
    expect(await page.getByRole("navigation", { name: "Breadcrumb" }).textContent()).toContain("Acme E2E");
  });

  it("enables SCIM provisioning with the switch", async () => {
    const toggle = page.getByRole("switch", { name: "Enable SCIM provisioning" });
    expect(await toggle.isChecked()).toBe(false);
    expect(await page.locator("#scim-state").textContent()).toBe("Off");
    await toggle.focus();
    await page.keyboard.press("Space");
    await poll(() => page.locator("#scim-state").textContent()).toBe("On");
    const org = await fetch(`${baseUrl}/api/v1/orgs/${state.orgId}`, { headers: { Authorization: `Bearer ${adminToken}` } });
    expect(((await org.json()) as { scimEnabled: boolean }).scimEnabled).toBe(true);
    expect(await page.getByLabel("SCIM URL").first().inputValue()).toBe(`${baseUrl}/scim/v2`);
  });

  it("creates a token, shows it once, and copies the SCIM URL and the token", async () => {
    await page.getByLabel("Description").fill("JumpCloud");
    await page.getByLabel("Lifetime").selectOption({ label: "90 days" });
    const created = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/scim/tokens"));
    await page.getByRole("button", { name: "Create token" }).click();
    const response = await created;
    expect(response.status()).toBe(201);
    expect(response.headers()["cache-control"]).toBe("no-store");

    const panel = page.locator("#new-token");
    await panel.waitFor({ state: "visible" });
    expect(await panel.textContent()).toContain("you will not see it again");

    await panel.getByRole("button", { name: "Copy SCIM URL" }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseUrl}/scim/v2`);
    state.scimUrl = await page.evaluate(() => navigator.clipboard.readText());

    await panel.getByRole("button", { name: "Copy New SCIM Token" }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    state.token = await page.evaluate(() => navigator.clipboard.readText());
    expect(await panel.getByLabel("New SCIM Token").inputValue()).toBe(state.token);

    const row = page.locator("#token-table tbody tr", { hasText: "JumpCloud" });
    await row.waitFor();
    expect(await row.textContent()).toContain(state.token.slice(0, 12));
    expect(await row.textContent()).toContain("Active");
    await expectAccessible("scim-configuration");
    await capture("scim-configuration");

    await page.getByRole("button", { name: "Done, I have copied it" }).click();
    expect(await panel.isHidden()).toBe(true);
    expect(await page.content()).not.toContain(state.token);
  });

  it("logs the requests made with the token, showing exactly what the client was answered", async () => {
    const ok = await scim("/ServiceProviderConfig");
    expect(ok.status).toBe(200);
    const failed = await scim(`/NoSuchEndpoint?filter=${encodeURIComponent('userName eq "ann@example.com"')}`);
    expect(failed.status).toBe(404);
    expect(failed.body.detail).toBeTruthy();
    const patch = await scim("/Users/00000000-0000-0000-0000-000000000000", {
      method: "PATCH",
      body: {
        schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
        Operations: [{ op: "replace", path: "active", value: false }],
      },
    });
    expect(patch.status).toBe(404);

    await openLog();
    const okRow = logRow("GET /scim/v2/ServiceProviderConfig");
    expect(await okRow.locator(".log-status").textContent()).toBe("200");
    expect(await okRow.locator("td[data-label='Identity provider']").textContent()).toBe("JumpCloud");
    const failedRow = logRow("GET /scim/v2/NoSuchEndpoint");
    expect(await failedRow.locator(".log-status").textContent()).toBe(String(failed.status));
    expect(await failedRow.locator(".detail-text").textContent()).toBe(failed.body.detail);
    expect(await failedRow.locator(".query").textContent()).toBe('?filter=userName eq "ann@example.com"');
    expect(await failedRow.locator("details").getAttribute("open")).not.toBeNull();
    const patchRow = logRow("PATCH /scim/v2/Users/00000000-0000-0000-0000-000000000000");
    expect(await patchRow.locator(".detail-text").textContent()).toBe(patch.body.detail);
    expect(await patchRow.locator("ul.ops").textContent()).toBe("replace active");
    await expectAccessible("provisioning-log");
    await capture("provisioning-log");

    await page.getByLabel("Status").selectOption("4xx");
    await poll(() => page.locator("#log-table tbody tr[data-entry-id]").count()).toBe(2);
    expect(await logRow("NoSuchEndpoint").count()).toBe(1);
    expect(await logRow("PATCH /scim/v2/Users").count()).toBe(1);
  });

  it("revokes the token after confirmation; SCIM answers 401 and the log shows it", async () => {
    await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: /SCIM Configuration/ }).click();
    const row = page.locator("#token-table tbody tr", { hasText: "JumpCloud" });
    await row.getByRole("button", { name: "Revoke JumpCloud" }).focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Revoke this token?" });
    await dialog.waitFor();
    await expectAccessible("revoke-dialog");
    // Cancel is focused first; Tab moves to the destructive button.
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await poll(() => row.locator("td[data-label='Status']").textContent()).toMatch(/^Revoked/);

    const refused = await scim("/Users?startIndex=1&count=1");
    expect(refused.status).toBe(401);
    await openLog();
    const refusedRow = logRow("GET /scim/v2/Users");
    expect(await refusedRow.locator(".log-status").textContent()).toBe("401");
    expect(await refusedRow.locator(".detail-text").textContent()).toBe(refused.body.detail);
    expect(refused.body.detail).toMatch(/revoked/);
  });

  it("signs out, after which the console and its API refuse the old session", async () => {
    const [cookie] = (await context.cookies()).filter((c) => c.name === "edge_scim_console");
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/admin\/sign-in/);
    await page.goto(`${baseUrl}/admin/orgs/${state.orgId}/provisioning-log`);
    await page.waitForURL(/\/admin\/sign-in\?next=/);
    expect(await page.evaluate(() => fetch("/api/v1/orgs").then((r) => r.status))).toBe(401);
    const replayed = await fetch(`${baseUrl}/api/v1/orgs`, { headers: { Cookie: `edge_scim_console=${cookie.value}` } });
    expect(replayed.status).toBe(401);
  });
});

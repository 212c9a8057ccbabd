// SCIM Configuration as issue 17 wants it, in Chromium against `wrangler dev`: the enable switch is
// drawn as a switch and its help text follows its state; the "Connect your identity provider" panel
// lists JumpCloud's own fields in order with our values and copy buttons, and the picker switches to
// another provider's fields. Screenshots at 1280 and 390 px go to docs/screenshots/; axe finds nothing.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { admin } from "./support/api";
import { capture, DOC_SCREENSHOTS, expectAccessible, openConsoleBrowser, poll, signInToConsole } from "./support/console-page";

const baseUrl = inject("baseUrl");
let browser: Browser;
let page: Page;
let orgId: string;

beforeAll(async () => {
  ({ browser, page } = await openConsoleBrowser(baseUrl));
  orgId = (await admin("POST", "/orgs", { name: "Initech" })).body.id;
  await signInToConsole(page, baseUrl, inject("adminToken"));
  await page.goto(`${baseUrl}/admin/orgs/${orgId}/settings/authentication/scim`);
});

afterAll(async () => {
  await browser?.close();
});

describe("SCIM Configuration", () => {
  it("draws the enable switch as a switch whose help text matches its state", async () => {
    const toggle = page.getByRole("switch", { name: "Enable SCIM provisioning" });
    const hint = page.locator("#scim-enabled-hint");
    expect(await toggle.isChecked()).toBe(false);
    expect(await hint.textContent()).toMatch(/^Provisioning is off/);
    // A track wider than tall, not a 20 px checkbox.
    const box = (await toggle.boundingBox())!;
    expect(box.width).toBeGreaterThan(box.height * 1.5);
    expect(await toggle.evaluate((el) => getComputedStyle(el).appearance)).toBe("none");

    await toggle.click();
    await poll(() => hint.textContent()).toMatch(/^Provisioning is on/);
    expect((await admin("GET", `/orgs/${orgId}`)).body.scimEnabled).toBe(true);
    await page.reload();
    expect(await page.locator("#scim-enabled-hint").textContent()).toMatch(/^Provisioning is on/);
  });

  it("guides the JumpCloud connection with its own field names, in order, with copy buttons", async () => {
    const guide = page.getByRole("region", { name: "Connect JumpCloud" });
    expect(await guide.isVisible()).toBe(true);
    const steps = await guide.locator("ol > li").allInnerTexts();
    const order = ["API Type: SCIM API", "SCIM 2.0", "Base URL", "Token Key", "Test User Email", "Test Connection", "group", "bind users"];
    expect(steps).toHaveLength(order.length);
    order.forEach((text, i) => expect(steps[i]).toContain(text));
    const scimUrl = `${baseUrl}/scim/v2`;
    expect(await guide.getByLabel("Base URL").inputValue()).toBe(scimUrl);
    await guide.getByRole("button", { name: "Copy Base URL" }).click();
    await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(scimUrl);
    await expectAccessible(page, "connect-jumpcloud", { strict: true });
    await capture(page, "connect-jumpcloud", DOC_SCREENSHOTS);
  });

  it("switches to another provider's fields with the picker", async () => {
    await page.getByLabel("Identity provider", { exact: true }).selectOption({ label: "Okta" });
    expect(await page.getByRole("region", { name: "Connect JumpCloud" }).isHidden()).toBe(true);
    const okta = page.getByRole("region", { name: "Connect Okta" });
    expect(await okta.getByLabel("SCIM connector base URL").inputValue()).toBe(`${baseUrl}/scim/v2`);
    expect(await okta.getByLabel("Unique identifier field for users").inputValue()).toBe("userName");
    for (const [label, field] of [["Microsoft Entra ID", "Tenant URL"], ["OneLogin", "SCIM Base URL"], ["Google Workspace", "Endpoint URL"], ["authentik", "URL"]]) {
      await page.getByLabel("Identity provider", { exact: true }).selectOption({ label });
      const region = page.getByRole("region", { name: `Connect ${label}` });
      expect(await region.getByLabel(field, { exact: true }).inputValue()).toBe(`${baseUrl}/scim/v2`);
    }
    await expectAccessible(page, "connect-authentik", { strict: true });
  });

  it("the provisioning log keeps its filters in the address bar and names the token, linking to its requests", async () => {
    const minted = (await admin("POST", `/orgs/${orgId}/scim/tokens`, { description: "JumpCloud" })).body;
    const res = await fetch(`${baseUrl}/scim/v2/Users/nobody`, { headers: { Authorization: `Bearer ${minted.token}` } });
    expect(res.status).toBe(404);
    await page.goto(`${baseUrl}/admin/orgs/${orgId}/provisioning-log?status=4xx`);
    expect(await page.getByLabel("Status").inputValue()).toBe("4xx");
    expect(await page.getByLabel("Refresh every 10 seconds").isChecked()).toBe(false);
    const tokenLink = page.locator("#log-table").getByRole("link", { name: "JumpCloud" });
    await poll(() => tokenLink.count()).toBe(1);
    expect(await page.locator("#log-table").textContent()).not.toContain(minted.id);

    await page.getByLabel("Status").selectOption("");
    await poll(() => new URL(page.url()).searchParams.get("status")).toBeNull();
    await page.getByLabel("Status").selectOption("4xx");
    await poll(() => new URL(page.url()).searchParams.get("status")).toBe("4xx");

    await tokenLink.click();
    await poll(() => new URL(page.url()).searchParams.get("token")).toBe(minted.id);
    await poll(() => page.locator("#log-token-filter").textContent()).toContain("JumpCloud");
    expect(await page.getByLabel("Status").inputValue()).toBe("4xx");
    await expectAccessible(page, "provisioning-log-token", { strict: true });
  });

  it("folds the organization navigation behind a Menu button on a phone", async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    const nav = page.getByRole("navigation", { name: "Organization" });
    const menu = nav.getByRole("button", { name: "Menu" });
    expect(await menu.getAttribute("aria-expanded")).toBe("false");
    expect(await nav.getByRole("link", { name: "Users" }).isVisible()).toBe(false);
    await menu.click();
    expect(await menu.getAttribute("aria-expanded")).toBe("true");
    expect(await nav.getByRole("link", { name: "Users" }).isVisible()).toBe(true);
    await expectAccessible(page, "nav-open-phone", { strict: true });
    await page.setViewportSize({ width: 1280, height: 900 });
    expect(await menu.isVisible()).toBe(false);
    expect(await nav.getByRole("link", { name: "Users" }).isVisible()).toBe(true);
  });
});

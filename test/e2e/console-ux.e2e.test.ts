// SCIM Configuration as issue 17 wants it, in Chromium against `wrangler dev`: the enable switch is
// drawn as a switch and its help text follows its state; the "Connect your identity provider" panel
// lists JumpCloud's own fields in order with our values and copy buttons, and the picker switches to
// another provider's fields; each token's connection status card; the provisioning log naming users
// and groups with links, one line per entry on a phone. Screenshots at 1280 and 390 px go to
// docs/screenshots/; axe finds nothing.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { admin } from "./support/api";
import { capture, DOC_SCREENSHOTS, expectAccessible, openConsoleBrowser, poll, signInToConsole } from "./support/console-page";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const baseUrl = inject("baseUrl");
/** What one test leaves for the next (they run in order, on one page). */
const context = { oktaTokenId: "", ids: { alice: "", carol: "", group: "" } };
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

  it("shows each token's connection status: latest request and provider, 24-hour counts, latest error, its log", async () => {
    const okta = (await admin("POST", `/orgs/${orgId}/scim/tokens`, { description: "Okta" })).body;
    const send = (method: string, path: string, body?: unknown) =>
      fetch(`${baseUrl}/scim/v2${path}`, {
        method,
        headers: { Authorization: `Bearer ${okta.token}`, "User-Agent": "Okta SCIM Client 1.0.0", "Content-Type": "application/scim+json" },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
    const alice = await (await send("POST", "/Users", { schemas: [CORE], userName: "alice@initech.example" })).json();
    const carol = await (await send("POST", "/Users", { schemas: [CORE], userName: "carol@initech.example" })).json();
    const group = await (await send("POST", "/Groups", { schemas: [GROUP], displayName: "Engineering", members: [{ value: alice.id }] })).json();
    expect((await send("GET", `/Users/${alice.id}`)).status).toBe(200);
    expect((await send("PATCH", `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: carol.id }] }] })).status).toBe(204);
    expect((await send("DELETE", `/Users/${carol.id}`)).status).toBe(204);
    expect((await send("POST", "/Users", { schemas: [CORE] })).status).toBe(400);
    context.oktaTokenId = okta.id;
    context.ids = { alice: alice.id, carol: carol.id, group: group.id };

    await page.goto(`${baseUrl}/admin/orgs/${orgId}/settings/authentication/scim`);
    const card = page.getByRole("region", { name: /^Okta/ });
    await poll(() => card.locator('[data-field="last-24h"]').textContent()).toBe("7 requests, 1 error");
    expect(await card.locator('[data-field="last-request"]').textContent()).toContain("from Okta");
    expect(await card.locator('[data-field="last-request"]').textContent()).toContain("Okta SCIM Client 1.0.0");
    const lastError = await card.locator('[data-field="last-error"]').textContent();
    expect(lastError).toContain("400");
    expect(lastError).toMatch(/userName/);
    // The earlier test's JumpCloud token made one request, which was refused.
    const jumpcloud = page.getByRole("region", { name: /^JumpCloud/ });
    expect(await jumpcloud.locator('[data-field="last-24h"]').textContent()).toBe("1 request, 1 error");
    await expectAccessible(page, "connection-status", { strict: true });
    await card.scrollIntoViewIfNeeded();
    await capture(page, "connection-status", DOC_SCREENSHOTS);

    await card.getByRole("link", { name: /provisioning log/ }).click();
    await poll(() => new URL(page.url()).searchParams.get("token")).toBe(okta.id);
    await poll(() => page.locator("#log-table tbody tr").count()).toBe(7);
  });

  it("names users and groups in the log's paths, linking to the directory, and folds entries to one line on a phone", async () => {
    const { alice, carol, group } = context.ids;
    const table = page.locator("#log-table");
    const aliceLink = table.getByRole("link", { name: "alice@initech.example" });
    await poll(() => aliceLink.count()).toBe(1);
    expect(await aliceLink.getAttribute("href")).toBe(`/admin/orgs/${orgId}/directory/users?q=${encodeURIComponent("alice@initech.example")}`);
    const groupLink = table.getByRole("link", { name: "Engineering" });
    expect(await groupLink.getAttribute("href")).toBe(`/admin/orgs/${orgId}/directory/groups/${group}`);
    // carol was deleted: her id stays in the path, with no link.
    const deleted = table.locator("tr", { hasText: `DELETE /scim/v2/Users/${carol}` });
    expect(await deleted.count()).toBe(1);
    expect(await deleted.locator(".request a").count()).toBe(0);
    // (A `has` locator is matched inside the outer one, so it starts from the page.)
    const aliceRow = table.locator("tr", { has: page.getByRole("link", { name: "alice@initech.example" }) });
    expect(await aliceRow.locator("code.request").textContent()).toBe("GET /scim/v2/Users/alice@initech.example");
    expect(await aliceRow.locator("dd code").textContent()).toBe(alice);
    await expectAccessible(page, "provisioning-log-names", { strict: true });

    await page.setViewportSize({ width: 390, height: 844 });
    const rows = table.locator("tbody tr");
    const first = rows.first();
    const toggle = first.getByRole("button", { name: /POST \/Users/ });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    expect(await first.locator('td[data-label="Request"]').isVisible()).toBe(false);
    // One line: a collapsed entry shows its toggle only, and is no taller than one line of it plus padding.
    const collapsed = await rows.evaluateAll((trs) =>
      trs.map((tr) => ({
        cells: Array.from(tr.querySelectorAll("td")).filter((td) => getComputedStyle(td).display !== "none").length,
        row: tr.getBoundingClientRect().height,
        line: tr.querySelector(".log-toggle-time")!.getBoundingClientRect().height,
      })),
    );
    expect(collapsed).toHaveLength(7);
    for (const entry of collapsed) {
      expect(entry.cells).toBe(1);
      expect(entry.row).toBeLessThan(entry.line * 1.5 + 20);
    }
    await toggle.click();
    expect(await toggle.getAttribute("aria-expanded")).toBe("true");
    expect(await first.locator('td[data-label="Request"]').isVisible()).toBe(true);
    expect(await first.locator('td[data-label="Detail"]').textContent()).toMatch(/userName/);
    await expectAccessible(page, "provisioning-log-phone", { strict: true });
    await capture(page, "provisioning-log", DOC_SCREENSHOTS);
    // Back at 1280 px the table is the wide one again: every cell shown, no toggle.
    expect(await rows.nth(1).locator('td[data-label="Request"]').isVisible()).toBe(true);
    expect(await toggle.isVisible()).toBe(false);
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

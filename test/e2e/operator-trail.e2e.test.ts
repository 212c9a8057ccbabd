// Issue 16 in Chromium against `wrangler dev`: a token expiring soon is flagged, rotating it in the
// console shows the new token once while the old one keeps working for its grace period, and the
// audit trail (the organization's page and the service's) shows what was done and by which session.
import { createHash } from "node:crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { admin } from "./support/api";
import { capture as captureAt, expectAccessible as scan, openConsoleBrowser, poll, signInToConsole } from "./support/console-page";

const baseUrl = inject("baseUrl");
const adminToken = inject("adminToken");

let browser: Browser;
let context: BrowserContext;
let page: Page;
const state = { orgId: "", oldToken: "", newToken: "" };

beforeAll(async () => {
  ({ browser, context, page } = await openConsoleBrowser(baseUrl));
});

afterAll(async () => {
  await browser?.close();
});

const scimStatus = async (token: string) =>
  (await fetch(`${baseUrl}/scim/v2/Users?count=1`, { headers: { Authorization: `Bearer ${token}` } })).status;

describe("token rotation, expiry flags and the audit trail in the console", () => {
  it("flags a token that expires within 14 days, on the organizations page and in the token list", async () => {
    const org = (await admin("POST", "/orgs", { name: "Rotation E2E" })).body;
    state.orgId = org.id;
    await admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true });
    state.oldToken = (await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "Entra", ttlDays: 7 })).body.token;
    expect(await scimStatus(state.oldToken)).toBe(200);

    await signInToConsole(page, baseUrl, adminToken);
    const orgRow = page.locator("#org-table tbody tr", { hasText: "Rotation E2E" });
    await poll(() => orgRow.locator("td[data-label='SCIM tokens']").textContent()).toBe("1 expires within 14 days");

    await orgRow.getByRole("link", { name: "Rotation E2E" }).click();
    await page.waitForURL(/\/settings\/authentication\/scim$/);
    const row = page.locator("#token-table tbody tr", { hasText: "Entra" });
    await poll(() => row.locator("td[data-label='Status']").textContent()).toBe("Expires soon");
  });

  it("rotates the token with a grace period: the new token is shown once, both work meanwhile", async () => {
    const row = page.locator("#token-table tbody tr", { hasText: "Entra" }).first();
    await row.getByRole("button", { name: "Rotate Entra" }).click();
    const dialog = page.getByRole("dialog", { name: "Rotate this token?" });
    await dialog.waitFor();
    await expectAccessible("rotate-dialog");
    await dialog.getByLabel("Grace period for the old token").selectOption({ label: "24 hours" });
    const rotated = page.waitForResponse((r) => r.request().method() === "POST" && r.url().endsWith("/rotate"));
    await dialog.getByRole("button", { name: "Rotate token" }).click();
    expect((await rotated).status()).toBe(201);

    const panel = page.locator("#new-token");
    await panel.waitFor({ state: "visible" });
    state.newToken = await panel.getByLabel("New SCIM Token").inputValue();
    expect(state.newToken).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    expect(state.newToken).not.toBe(state.oldToken);
    expect(await scimStatus(state.newToken)).toBe(200);
    expect(await scimStatus(state.oldToken)).toBe(200); // within its grace period

    const rows = page.locator("#token-table tbody tr", { hasText: "Entra" });
    await poll(() => rows.count()).toBe(2);
    await poll(() => page.locator("#token-table tbody").textContent()).toMatch(/RotatedWorks until \d{4}-/);
    await expectAccessible("scim-configuration-rotated");
    await capture("scim-configuration-rotated");
    await page.getByRole("button", { name: "Done, I have copied it" }).click();
    expect(await page.content()).not.toContain(state.newToken);
  });

  it("shows the organization's audit trail, naming the console session that acted", async () => {
    const [cookie] = (await context.cookies()).filter((c) => c.name === "edge_scim_console");
    const sessionId = createHash("sha256").update(cookie.value).digest("hex").slice(0, 12);

    await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Audit trail" }).click();
    await page.waitForURL(/\/audit$/);
    const entries = page.locator("#audit-table tbody tr[data-entry-id]");
    await poll(() => entries.count()).toBe(4);
    expect(await entries.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-action")))).toEqual([
      "token.rotated",
      "token.created",
      "scim.enabled",
      "org.created",
    ]);
    const rotatedRow = page.locator("#audit-table tbody tr[data-action='token.rotated']");
    expect(await rotatedRow.locator(".audit-action").textContent()).toBe("SCIM token rotated");
    expect(await rotatedRow.locator("td[data-label='By']").textContent()).toContain("Console session");
    expect(await rotatedRow.locator(".audit-actor").textContent()).toBe(sessionId);
    expect(await rotatedRow.textContent()).toContain("graceHours: 24");
    const byOperator = page.locator("#audit-table tbody tr[data-action='org.created'] td[data-label='By']");
    expect(await byOperator.textContent()).toContain("Operator token");
    expect(await page.content()).not.toContain(state.newToken);
    await expectAccessible("org-audit");
    await capture("org-audit");
  });

  it("shows the service's audit trail with the console sign-in", async () => {
    await page.getByRole("navigation", { name: "Console" }).getByRole("link", { name: "Audit trail" }).click();
    await page.waitForURL(`${baseUrl}/admin/audit`);
    const signIn = page.locator("#audit-table tbody tr[data-action='console.signed_in']").first();
    await signIn.waitFor();
    expect(await signIn.locator("td[data-label='Organization']").textContent()).toBe("—");
    await poll(() => page.locator(`#audit-table tbody tr[data-action='token.rotated'] a[href='/admin/orgs/${state.orgId}/audit']`).count()).toBe(1);
    await expectAccessible("audit");
    await capture("audit");
  });

  it("refuses a restricted organization with 429 under wrangler dev, through the rate-limiting binding", async () => {
    expect((await admin("PUT", `/orgs/${state.orgId}/rate-limits`, { level: "restricted" })).status).toBe(200);
    const answers: Response[] = [];
    for (let i = 0; i < 25; i++) answers.push(await fetch(`${baseUrl}/scim/v2/Users?count=1`, { headers: { Authorization: `Bearer ${state.newToken}` } }));
    const refused = answers.find((r) => r.status === 429);
    expect(refused).toBeDefined();
    expect(refused!.headers.get("Retry-After")).toMatch(/^\d+$/);
    expect(((await refused!.json()) as { status: string }).status).toBe("429");
    expect(answers.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    const trail = (await admin("GET", `/audit?orgId=${state.orgId}`)).body.entries;
    expect(trail[0]).toMatchObject({ action: "rate_limit.changed", detail: { from: "standard", to: "restricted" } });
  });
});

const expectAccessible = (name: string) => scan(page, name);
const capture = (name: string) => captureAt(page, `console-${name}`);

// Issue 17's setup journey in Chromium against `wrangler dev`: the admin issues a setup link, is asked
// before replacing it, the person's page names the org and says at once that the replaced link no
// longer works, setup completes and says what happens next, a used link warns that someone else may
// have used it, and the admin resets the completed setup after a confirmation, after which the old
// session opens nothing and a new link works. Screenshots at 1280 and 390 px go to docs/screenshots/
// (the documentation shows them); every page state gets an axe-core scan with no violations at all.
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { admin, CORE_USER, newScimOrg, type ScimOrg } from "./support/api";
import { capture, DOC_SCREENSHOTS, expectAccessible, openConsoleBrowser, poll, signInToConsole } from "./support/console-page";
import { openDeadSetupLink, openSetupLink, setupCompleted, submitPassphrase } from "./support/setup-page";

const baseUrl = inject("baseUrl");
const PASSPHRASE = "a passphrase long enough for the test";
const ORG_NAME = "Globex Corporation";

let browser: Browser;
let context: BrowserContext;
let page: Page;
let person: BrowserContext;
let personPage: Page;

const state = {
  org: undefined as unknown as ScimOrg,
  ada: "",
  konrad: "",
  links: [] as string[],
};

beforeAll(async () => {
  ({ browser, context, page } = await openConsoleBrowser(baseUrl));
  person = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  personPage = await person.newPage();
});

afterAll(async () => {
  await browser?.close();
});

async function provision(userName: string, displayName: string, active = true): Promise<string> {
  const [givenName, familyName] = displayName.split(" ");
  const res = await state.org.scim("POST", "/Users", {
    schemas: [CORE_USER],
    userName,
    displayName,
    name: { givenName, familyName },
    emails: [{ value: userName, type: "work", primary: true }],
    active,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const userRow = (userName: string) =>
  page.locator("#users-table tbody tr", { has: page.locator("td[data-label='User']", { hasText: new RegExp(`^${userName}`) }) });
const cell = (row: Locator, label: string) => row.locator(`td[data-label='${label}']`);
const linkShown = () => page.locator("#setup-link-url").inputValue();

describe("setup journey", () => {
  it("the console issues a link, and asks before replacing one that still works", async () => {
    state.org = await newScimOrg(ORG_NAME);
    state.ada = await provision("ada@globex.example", "Ada Lovelace");
    state.konrad = await provision("konrad.zuse.computing-pioneer@globex-corporation.example", "Konrad Zuse", false);
    const group = await state.org.scim("POST", "/Groups", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
      displayName: "Engineering",
      members: [{ value: state.ada }],
    });
    expect(group.status).toBe(201);
    await signInToConsole(page, baseUrl, inject("adminToken"));
    await page.goto(`${baseUrl}/admin/orgs/${state.org.orgId}/directory/users`);
    await poll(() => page.locator("#users-table tbody tr[data-user-id]").count()).toBe(2);
    expect(await page.locator("#users-pager-status").textContent()).toBe("Users 1–2 of 2");

    // Names never break mid-word: at both widths each userName and group name is one line box.
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      const names = page.locator("#users-table td[data-label='User'] > :first-child, #users-table td[data-label='Groups'] a");
      expect(await names.count()).toBe(3);
      const lines = await names.evaluateAll((els) =>
        els.map((el) => {
          const range = document.createRange();
          range.selectNodeContents(el);
          return [el.textContent, new Set(Array.from(range.getClientRects(), (r) => Math.round(r.top))).size];
        }),
      );
      expect(lines, `at ${width} px`).toEqual([
        ["ada@globex.example", 1],
        ["Engineering", 1],
        ["konrad.zuse.computing-pioneer@globex-corporation.example", 1],
      ]);
    }
    await page.setViewportSize({ width: 1280, height: 900 });
    // A deactivated, pending person: no button, and the row says why.
    expect(await userRow("konrad.zuse.computing-pioneer@globex-corporation.example").getByRole("button").count()).toBe(0);
    expect(await cell(userRow("konrad.zuse.computing-pioneer@globex-corporation.example"), "Actions").textContent()).toMatch(/deactivated.*Reactivate in the identity provider/);

    const issue = userRow("ada@globex.example").getByRole("button", { name: "Issue new setup link for ada@globex.example" });
    await issue.click();
    await poll(linkShown).toMatch(new RegExp(`^${baseUrl}/setup#token=`));
    state.links.push(await linkShown());

    const dialog = page.getByRole("dialog", { name: "Issue a new setup link?" });
    await issue.click();
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/ada@globex\.example already has a setup link that works until \d{4}-\d\d-\d\d .*stop working at once/);
    await expectAccessible(page, "console-reissue-confirm", { strict: true });
    await capture(page, "console-reissue-confirm", DOC_SCREENSHOTS);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect(await dialog.isHidden()).toBe(true);
    expect(await linkShown()).toBe(state.links[0]);
    // Cancelling issued nothing: the first link still checks as valid.
    expect((await checkLink(state.links[0])).state).toBe("valid");

    await issue.click();
    await dialog.getByRole("button", { name: "Issue new link" }).click();
    await poll(linkShown).not.toBe(state.links[0]);
    state.links.push(await linkShown());
    expect((await checkLink(state.links[0])).state).toBe("superseded");
  });

  it("the setup page names the org and says at once that a replaced link no longer works", async () => {
    const said = await openDeadSetupLink(personPage, state.links[0]);
    expect(said).toMatch(/replaced by a newer one/);
    expect(await personPage.locator("#asker").innerText()).toBe(`${ORG_NAME} asks you to finish setting up your account.`);
    await expectAccessible(personPage, "setup-link-replaced", { strict: true });
    await capture(personPage, "setup-link-replaced", DOC_SCREENSHOTS);
  });

  it("the current link opens the passphrase form, and completing says plainly what happens next", async () => {
    await openSetupLink(personPage, state.links[1]);
    expect(await personPage.locator("#asker").innerText()).toContain(ORG_NAME);
    await expectAccessible(personPage, "setup-passphrase", { strict: true });
    await capture(personPage, "setup-passphrase", DOC_SCREENSHOTS);
    // Opening the page did not use the link.
    expect((await checkLink(state.links[1])).state).toBe("valid");

    await submitPassphrase(personPage, PASSPHRASE);
    await setupCompleted(personPage);
    const done = await personPage.locator("#done").innerText();
    expect(done).toMatch(/Setup is complete/);
    expect(done).toContain(`Your account ada@globex.example at ${ORG_NAME} is set up`);
    expect(done).toMatch(/What happens next/);
    expect(done).toMatch(/you will be asked for this passphrase/);
    expect(done).toMatch(/ask your administrator to reset your setup/i);
    await expectAccessible(personPage, "setup-complete", { strict: true });
    await capture(personPage, "setup-complete", DOC_SCREENSHOTS);
  });

  it("a used link warns at once that someone else may have used it, and says what the admin can do", async () => {
    const other = await browser.newContext();
    const otherPage = await other.newPage();
    const said = await openDeadSetupLink(otherPage, state.links[1]);
    expect(said).toMatch(/already been used/);
    expect(said).toMatch(/someone else may have/);
    expect(said).toMatch(/reset your setup/);
    await expectAccessible(otherPage, "setup-link-used", { strict: true });
    await capture(otherPage, "setup-link-used", DOC_SCREENSHOTS);
    await other.close();
  });

  it("the admin resets the completed setup after a confirmation; the old session opens nothing and a new link works", async () => {
    await page.reload();
    const row = userRow("ada@globex.example");
    await poll(() => cell(row, "Setup").textContent()).toBe("Complete");
    const reset = row.getByRole("button", { name: "Reset setup for ada@globex.example" });
    const dialog = page.getByRole("dialog", { name: "Reset setup?" });

    await reset.click();
    await dialog.waitFor();
    expect(await dialog.textContent()).toMatch(/ada@globex\.example's stored key is deleted/);
    await expectAccessible(page, "console-reset-confirm", { strict: true });
    await capture(page, "console-reset-confirm", DOC_SCREENSHOTS);
    await dialog.getByRole("button", { name: "Cancel" }).click();
    expect((await admin("GET", `/orgs/${state.org.orgId}/users/${state.ada}`)).body.setupState).toBe("complete");

    await reset.click();
    await dialog.getByRole("button", { name: "Reset setup" }).click();
    await poll(() => cell(userRow("ada@globex.example"), "Setup").textContent()).toBe("Pending");
    expect((await admin("GET", `/orgs/${state.org.orgId}/users/${state.ada}`)).body.setupState).toBe("pending");
    await expectAccessible(page, "console-after-reset", { strict: true });

    // The person's session ended with the reset: reloading opens no key.
    await personPage.goto(`${baseUrl}/setup`);
    await personPage.locator("#view-no-link").waitFor({ state: "visible" });

    // No earlier link works now, so a new one is issued without asking, and completes setup again.
    await userRow("ada@globex.example").getByRole("button", { name: "Issue new setup link for ada@globex.example" }).click();
    await poll(linkShown).toMatch(new RegExp(`^${baseUrl}/setup#token=`));
    expect(await page.getByRole("dialog", { name: "Issue a new setup link?" }).isHidden()).toBe(true);
    const fresh = await linkShown();
    expect(state.links).not.toContain(fresh);
    await openSetupLink(personPage, fresh);
    await submitPassphrase(personPage, PASSPHRASE);
    await setupCompleted(personPage);
    expect((await admin("GET", `/orgs/${state.org.orgId}/users/${state.ada}`)).body.setupState).toBe("complete");
  });
});

async function checkLink(url: string): Promise<any> {
  const token = new URL(url).hash.slice("#token=".length);
  const res = await fetch(`${baseUrl}/api/v1/setup/check`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token }),
  });
  expect(res.status).toBe(200);
  return res.json();
}

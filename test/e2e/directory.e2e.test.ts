// Directory › Users and Directory › Groups in Chromium against `wrangler dev`. Everything shown is
// provisioned through SCIM, as an identity provider does it (users, a deactivation, groups, and a
// 2,000-member group filled by PATCH in chunks). The admin finds a user by email, filters, copies a
// setup link (read back from the clipboard) that a second browser completes setup with, and pages
// through the big group. Screenshots at 1280 and 390 px go to test/artifacts/; every page gets an
// axe-core scan.
import type { Browser, BrowserContext, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runPool } from "../../bench/pool";
import { admin, CORE_USER, newScimOrg, type ScimOrg } from "./support/api";
import { capture, expectAccessible, openConsoleBrowser, poll, signInToConsole } from "./support/console-page";
import { completeSetup, openDeadSetupLink } from "./support/setup-page";

const baseUrl = inject("baseUrl");
const BIG_GROUP_SIZE = 2_000;
const MEMBERS_PER_PATCH = 250;
const PASSPHRASE = "a passphrase long enough for the test";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

let browser: Browser;
let context: BrowserContext;
let page: Page;

/** What the test provisions and learns along the way. */
const state = {
  org: undefined as unknown as ScimOrg,
  ids: {} as Record<"ada" | "grace" | "konrad", string>,
  bulkIds: [] as string[],
  groupIds: {} as Record<"engineering" | "analysts" | "everyone", string>,
};

beforeAll(async () => {
  ({ browser, context, page } = await openConsoleBrowser(baseUrl));
});

afterAll(async () => {
  await browser?.close();
});

async function createUser(userName: string, displayName: string, email: string): Promise<string> {
  const [givenName, familyName] = displayName.split(" ");
  const res = await state.org.scim("POST", "/Users", {
    schemas: [CORE_USER],
    userName,
    displayName,
    name: { givenName, familyName },
    emails: [{ value: email, type: "work", primary: true }],
    active: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

async function createGroup(displayName: string, memberIds: string[]): Promise<string> {
  const res = await state.org.scim("POST", "/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName,
    members: memberIds.map((value) => ({ value })),
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

const table = (id: string) => page.locator(`#${id} tbody`);
const rows = (id: string) => page.locator(`#${id} tbody tr[data-user-id], #${id} tbody tr[data-group-id]`);
const userRow = (userName: string) => page.locator("#users-table tbody tr", { has: page.locator("td[data-label='User']", { hasText: new RegExp(`^${userName}`) }) });
const cell = (row: Locator, label: string) => row.locator(`td[data-label='${label}']`);

/** The user names listed, once the table shows something other than "Loading…". */
async function listedUserNames(): Promise<string[]> {
  return page.locator("#users-table tbody tr[data-user-id] td[data-label='User'] > :first-child").allTextContents();
}

async function search(field: string, text: string) {
  await page.getByRole("searchbox", { name: "Search" }).fill(text);
  await page.getByRole("searchbox", { name: "Search" }).press("Enter");
  await poll(() => new URL(page.url()).searchParams.get(field) ?? "").toBe(text);
}

async function clipboard(): Promise<string> {
  return page.evaluate(() => navigator.clipboard.readText());
}

describe("directory console", () => {
  it("provisions users, a deactivation, groups and a 2,000-member group through SCIM", async () => {
    state.org = await newScimOrg("Directory E2E");
    state.ids.ada = await createUser("alovelace", "Ada Lovelace", "Ada@Analytical.example");
    state.ids.grace = await createUser("ghopper", "Grace Hopper", "grace@navy.example");
    state.ids.konrad = await createUser("kzuse", "Konrad Zuse", "konrad@z3.example");
    // JumpCloud deactivates with one replace op on `active`.
    const deactivated = await state.org.scim("PATCH", `/Users/${state.ids.konrad}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "replace", path: "active", value: false }],
    });
    expect(deactivated.status, JSON.stringify(deactivated.body)).toBe(200);

    const numbers = Array.from({ length: BIG_GROUP_SIZE }, (_, i) => String(i + 1).padStart(4, "0"));
    state.bulkIds = new Array(BIG_GROUP_SIZE);
    await runPool(numbers, 16, async (n, i) => {
      state.bulkIds[i] = await createUser(`member-${n}@bulk.example`, `Member ${n}`, `member-${n}@bulk.example`);
    });

    state.groupIds.engineering = await createGroup("Engineering", [state.ids.ada, state.ids.grace]);
    state.groupIds.analysts = await createGroup("analysts", [state.ids.ada]);
    state.groupIds.everyone = await createGroup("Everyone", []);
    for (let i = 0; i < BIG_GROUP_SIZE; i += MEMBERS_PER_PATCH) {
      const res = await state.org.scim("PATCH", `/Groups/${state.groupIds.everyone}`, {
        schemas: [PATCH_OP],
        Operations: [{ op: "add", path: "members", value: state.bulkIds.slice(i, i + MEMBERS_PER_PATCH).map((value) => ({ value })) }],
      });
      expect(res.status, JSON.stringify(res.body)).toBe(204);
    }
    const everyone = await admin("GET", `/orgs/${state.org.orgId}/groups/${state.groupIds.everyone}`);
    expect(everyone.body.memberCount).toBe(BIG_GROUP_SIZE);
  });

  it("finds a user by email, with their groups and setup state", async () => {
    await signInToConsole(page, baseUrl, inject("adminToken"));
    await page.goto(`${baseUrl}/admin/orgs/${state.org.orgId}`);
    await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Users" }).click();
    await page.waitForURL(/\/directory\/users$/);
    await poll(() => rows("users-table").count()).toBe(50);
    expect(await page.getByRole("note").textContent()).toContain("your identity provider is the source of truth");
    expect(await page.locator("#users-pager-status").textContent()).toBe("Users 1–50 of 2,003");

    await search("q", "ADA@analytical");
    await poll(listedUserNames).toEqual(["alovelace"]);
    const ada = userRow("alovelace");
    expect(await cell(ada, "User").textContent()).toBe("alovelaceAda Lovelace");
    expect(await cell(ada, "Status").textContent()).toBe("Active");
    expect(await cell(ada, "Setup").textContent()).toBe("Pending");
    // Groups in name order, case-insensitively, each a link to the group.
    expect(await cell(ada, "Groups").getByRole("link").allTextContents()).toEqual(["analysts", "Engineering"]);
    expect(await cell(ada, "Groups").getByRole("link", { name: "Engineering" }).getAttribute("href")).toBe(
      `/admin/orgs/${state.org.orgId}/directory/groups/${state.groupIds.engineering}`,
    );
    await expectAccessible(page, "directory-users");
    await capture(page, "directory-users");
  });

  it("filters deactivated and pending users, and pages through them", async () => {
    await search("q", "");
    const show = page.getByLabel("Show");
    await show.selectOption({ label: "Deactivated" });
    await poll(listedUserNames).toEqual(["kzuse"]);
    expect(await cell(userRow("kzuse"), "Status").textContent()).toBe("Deactivated");
    // A deactivated person cannot finish setup, so there is no link to issue, and the row says why.
    expect(await userRow("kzuse").getByRole("button").count()).toBe(0);
    expect(await cell(userRow("kzuse"), "Actions").textContent()).toMatch(/No setup link: deactivated/);

    await show.selectOption({ label: "Pending setup" });
    await poll(() => listedUserNames().then((names) => names.slice(0, 3))).toEqual(["alovelace", "ghopper", "member-0001@bulk.example"]);
    expect(new URL(page.url()).searchParams.get("state")).toBe("pending");
    expect(await rows("users-table").count()).toBe(50);
    expect(await table("users-table").locator("td[data-label='Setup']").allTextContents()).toEqual(Array(50).fill("Pending"));
    expect(await table("users-table").locator("td[data-label='Status']").allTextContents()).toEqual(Array(50).fill("Active"));
    expect(await listedUserNames()).not.toContain("kzuse");

    await page.getByRole("button", { name: "Next page" }).click();
    await poll(() => page.locator("#users-pager-status").textContent()).toBe("Users 51–100 of 2,002");
    expect((await listedUserNames())[0]).toBe("member-0049@bulk.example");
    await page.getByRole("button", { name: "Previous page" }).click();
    await poll(() => page.locator("#users-pager-status").textContent()).toBe("Users 1–50 of 2,002");
    expect((await listedUserNames())[0]).toBe("alovelace");

    // The filter survives a reload: the server fills the form from the address bar.
    await page.reload();
    expect(await show.inputValue()).toBe("pending");
    await poll(() => listedUserNames().then((names) => names[0])).toBe("alovelace");
  });

  it("issues a setup link, asks before replacing it, says the old one stopped working, and the person completes setup with it", async () => {
    await search("q", "alovelace");
    await poll(listedUserNames).toEqual(["alovelace"]);
    const copy = userRow("alovelace").getByRole("button", { name: "Issue new setup link for alovelace" });
    const result = page.getByRole("region", { name: "New setup link for alovelace" });

    await copy.click();
    await result.waitFor();
    await poll(clipboard).toMatch(new RegExp(`^${baseUrl}/setup#token=`));
    const first = await clipboard();
    expect(await result.getByLabel("Setup link").inputValue()).toBe(first);

    // An earlier link works: the console asks first, and cancelling keeps it.
    const reissue = page.getByRole("dialog", { name: "Issue a new setup link?" });
    await copy.click();
    await reissue.waitFor();
    expect(await reissue.textContent()).toMatch(/alovelace already has a setup link that works until .*stop working at once/);
    await reissue.getByRole("button", { name: "Cancel" }).click();
    expect(await clipboard()).toBe(first);
    await copy.click();
    await reissue.getByRole("button", { name: "Issue new link" }).click();
    await poll(clipboard).not.toBe(first);
    const second = await clipboard();
    expect(second).toMatch(new RegExp(`^${baseUrl}/setup#token=`));
    expect(await result.getByLabel("Setup link").inputValue()).toBe(second);
    const said = await page.locator("#setup-link-message").textContent();
    expect(said).toContain("Copied to the clipboard.");
    expect(said).toContain("Any earlier setup link for alovelace has stopped working.");
    await expectAccessible(page, "directory-users-setup-link");
    await capture(page, "directory-users-setup-link");

    // A second browser, as the person: the older link is refused, the newer one completes setup.
    const person = await browser.newContext();
    const personPage = await person.newPage();
    expect(await openDeadSetupLink(personPage, first)).toMatch(/replaced by a newer one/);
    await completeSetup(personPage, second, PASSPHRASE);
    await person.close();

    // Back in the console, the state changes to complete and the link action is gone.
    await page.getByRole("button", { name: "Done" }).click();
    expect(await result.isHidden()).toBe(true);
    expect(await page.locator("#setup-link-url").inputValue()).toBe("");
    await page.getByLabel("Show").selectOption({ label: "All users" });
    await poll(() => cell(userRow("alovelace"), "Setup").textContent()).toBe("Complete");
    expect(await userRow("alovelace").getByRole("button").allTextContents()).toEqual(["Reset setup for alovelace"]);
    await page.getByLabel("Show").selectOption({ label: "Pending setup" });
    await poll(() => table("users-table").textContent()).toBe("No user matches.");
  });

  it("lists groups with member counts and finds one by name", async () => {
    await page.getByRole("navigation", { name: "Organization" }).getByRole("link", { name: "Groups" }).click();
    await page.waitForURL(/\/directory\/groups$/);
    await poll(() => rows("groups-table").count()).toBe(3);
    const groups = await rows("groups-table").evaluateAll((trs) =>
      trs.map((tr) => Array.from(tr.querySelectorAll("td"), (td) => td.textContent)),
    );
    expect(groups).toEqual([
      ["analysts", "1"],
      ["Engineering", "2"],
      ["Everyone", "2,000"],
    ]);
    await expectAccessible(page, "directory-groups");
    await capture(page, "directory-groups");
    await search("q", "EVERY");
    await poll(() => rows("groups-table").count()).toBe(1);
    await page.getByRole("link", { name: "Everyone" }).click();
    await page.waitForURL(new RegExp(`/directory/groups/${state.groupIds.everyone}$`));
  });

  it("pages through the 2,000-member group with the keyboard", async () => {
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Everyone");
    expect(await page.locator("#member-count").textContent()).toBe("2,000 members");
    const status = page.locator("#members-pager-status");
    await poll(() => status.textContent()).toBe("Members 1–50 of 2,000");
    await expectAccessible(page, "directory-group");
    await capture(page, "directory-group");

    const seen: string[] = [];
    const next = page.getByRole("button", { name: "Next page" });
    for (let pageNumber = 1; ; pageNumber++) {
      const first = pageNumber * 50 - 49;
      await poll(() => status.textContent()).toBe(`Members ${first.toLocaleString("en-US")}–${(first + 49).toLocaleString("en-US")} of 2,000`);
      seen.push(...(await rows("members-table").evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-user-id")!))));
      if (await next.isDisabled()) break;
      await next.focus();
      await page.keyboard.press("Enter");
    }
    expect(seen).toHaveLength(BIG_GROUP_SIZE);
    expect(new Set(seen)).toEqual(new Set(state.bulkIds));
    // On the last page Next is off, so the keyboard is left on Previous.
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Previous page");
    await page.keyboard.press("Enter");
    await poll(() => status.textContent()).toBe("Members 1,901–1,950 of 2,000");

    // A member links to their row in Directory › Users, which shows the group.
    const member = rows("members-table").first();
    const userName = (await cell(member, "User").getByRole("link").textContent())!;
    await cell(member, "User").getByRole("link").click();
    await page.waitForURL(/\/directory\/users\?q=/);
    await poll(listedUserNames).toEqual([userName]);
    expect(await cell(userRow(userName), "Groups").textContent()).toBe("Everyone");
  });
});

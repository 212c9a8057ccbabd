/** Driving the first-login page (/setup) in a browser, as a provisioned person does. */
import type { Page } from "playwright-core";

/** The text of a message the setup page shows, once it is visible with the given kind. */
export async function setupMessage(page: Page, id: string, kind: "success" | "error") {
  const locator = page.locator(`#${id}[data-kind="${kind}"]`);
  await locator.waitFor({ state: "visible", timeout: 30_000 });
  return locator.innerText();
}

export async function openSetupLink(page: Page, url: string) {
  await page.goto(url);
  await page.locator("#view-setup").waitFor({ state: "visible" });
}

/**
 * Opens a link the setup page finds no longer works: it says so at once, before any passphrase, and
 * names the org. Returns what it says.
 */
export async function openDeadSetupLink(page: Page, url: string) {
  await page.goto(url);
  const message = page.locator("#link-problem-message");
  await message.waitFor({ state: "visible" });
  if (await page.locator("#view-setup").isVisible()) throw new Error("the passphrase form is shown for a dead link");
  return message.innerText();
}

/** Types the passphrase and its confirmation and submits; the caller checks the outcome. */
export async function submitPassphrase(page: Page, passphrase: string, confirmation = passphrase) {
  await page.fill("#passphrase", passphrase);
  await page.fill("#passphrase-confirm", confirmation);
  await page.click("#setup-submit");
}

/** Waits for setup to have completed: the page made and locked the key, and offers to unlock it. */
export async function setupCompleted(page: Page) {
  await page.locator("#view-unlock").waitFor({ state: "visible", timeout: 30_000 });
}

/** Opens a setup link and completes setup with it. */
export async function completeSetup(page: Page, url: string, passphrase: string) {
  await openSetupLink(page, url);
  await submitPassphrase(page, passphrase);
  await setupCompleted(page);
}

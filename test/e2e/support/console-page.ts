/**
 * What the console's browser tests share: signing in, the accessibility scan, screenshots at both
 * widths (with the no-sideways-scroll check), and polling with room for a busy machine.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import axe from "axe-core";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { launchBrowser } from "./browser";
import { ROOT } from "./dev-server";

export const ARTIFACTS = path.join(ROOT, "test/artifacts");
/** Screenshots the documentation shows (committed; issue 17). */
export const DOC_SCREENSHOTS = path.join(ROOT, "docs/screenshots");
const WIDTHS = [1280, 390] as const;

/** Chromium with one page at 1280 px whose origin may read and write the clipboard (copy buttons). */
export async function openConsoleBrowser(baseUrl: string): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await launchBrowser();
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseUrl });
  return { browser, context, page: await context.newPage() };
}

/** expect.poll with room for a busy machine (other test suites share its two cores). */
export function poll<T>(read: () => T | Promise<T>) {
  return expect.poll(read, { timeout: 15_000, interval: 100 });
}

/** Signs in through the sign-in page, typing the operator token as a person would. */
export async function signInToConsole(page: Page, baseUrl: string, adminToken: string) {
  await page.goto(`${baseUrl}/admin/sign-in`);
  const field = page.getByLabel("Operator token");
  await field.focus();
  await page.keyboard.type(adminToken);
  await page.keyboard.press("Enter");
  await page.waitForURL(`${baseUrl}/admin`);
}

/**
 * axe-core is evaluated through the DevTools protocol, which the page's CSP does not govern (the
 * CSP would rightly refuse an injected <script>); then the scan runs in the page.
 */
export async function expectAccessible(page: Page, name: string, options: { strict?: boolean } = {}) {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const result = await (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) }));
  });
  // strict: no violation of any impact (the pages of issue 17); else serious and critical ones.
  const blocking = options.strict ? violations : violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(blocking, `${name}: ${JSON.stringify(blocking, null, 2)}`).toEqual([]);
}

/** Full-page screenshots `<name>-<width>.png` at both widths; at 390 px nothing may scroll sideways. */
export async function capture(page: Page, name: string, dir: string = ARTIFACTS) {
  mkdirSync(dir, { recursive: true });
  try {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: width === 390 ? 844 : 900 });
      await page.screenshot({ path: path.join(dir, `${name}-${width}.png`), fullPage: true });
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name} scrolls sideways at ${width} px`).toBeLessThanOrEqual(0);
    }
  } finally {
    // Back at the desktop width even when a check failed, so that the next test does not start on a phone
    // (where the side navigation is folded away) and fail for that instead of its own reason.
    await page.setViewportSize({ width: 1280, height: 900 });
  }
}

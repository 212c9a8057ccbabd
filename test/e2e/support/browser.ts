/**
 * Debian's Chromium driven by playwright-core. Never a browser download: these machines only reach
 * the npm registry and Debian's packages, so the project installs `chromium` with apt-get.
 */
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { chromium, type Browser } from "playwright-core";

export const CHROMIUM = "/usr/bin/chromium";
const INSTALL_COMMAND = "apt-get update && apt-get install -y chromium";

/** Makes sure Chromium is installed: installs it when running as root, else fails naming the command. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`Chromium is missing at ${CHROMIUM}. Install it as root with: ${INSTALL_COMMAND}`);
  }
  console.log(`Chromium is missing; installing Debian's package: ${INSTALL_COMMAND}`);
  try {
    execFileSync("sh", ["-c", INSTALL_COMMAND], {
      stdio: "inherit",
      env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
    });
  } catch (err) {
    throw new Error(`Could not install Chromium (${(err as Error).message}). Run as root: ${INSTALL_COMMAND}`);
  }
  if (!existsSync(CHROMIUM)) throw new Error(`${INSTALL_COMMAND} did not provide ${CHROMIUM}`);
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
}

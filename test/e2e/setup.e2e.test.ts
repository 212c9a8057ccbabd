// A provisioned person finishes setup in Chromium: the key is made and locked in the browser, and the
// bundle the service stores opens only with the passphrase, to the private half of the stored public key.
import { webcrypto } from "node:crypto";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import type { Browser } from "playwright-core";
import { admin as api, CORE_USER, newScimOrg } from "./support/api";
import { launchBrowser } from "./support/browser";
import { openDeadSetupLink, openSetupLink, setupCompleted, setupMessage as message, submitPassphrase } from "./support/setup-page";

const subtle = webcrypto.subtle;
const PASSPHRASE = "correct horse battery staple";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** An org with SCIM on, and a user created the way an identity provider creates one. */
async function provisionThroughScim(userName: string) {
  const org = await newScimOrg("Setup e2e");
  const created = await org.scim("POST", "/Users", {
    schemas: [CORE_USER],
    userName,
    name: { givenName: "Ada", familyName: "Lovelace" },
    emails: [{ value: userName, type: "work", primary: true }],
    active: true,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return { orgId: org.orgId, userId: created.body.id as string };
}

const fromB64u = (text: string) => new Uint8Array(Buffer.from(text, "base64url"));

async function unlockInNode(bundle: any, passphrase: string): Promise<ArrayBuffer> {
  const material = await subtle.importKey("raw", new TextEncoder().encode(passphrase), "PBKDF2", false, ["deriveKey"]);
  const key = await subtle.deriveKey(
    { name: "PBKDF2", hash: bundle.kdf.hash, salt: fromB64u(bundle.salt), iterations: bundle.kdf.iterations },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["decrypt"],
  );
  return subtle.decrypt({ name: "AES-GCM", iv: fromB64u(bundle.iv) }, key, fromB64u(bundle.encryptedPrivateKey));
}

it("provisions through SCIM, completes setup in Chromium, unlocks, and the stored bundle opens only with the passphrase", async () => {
  const baseUrl = inject("baseUrl");
  const userName = `ada.${Date.now()}@example.com`;
  const { orgId, userId } = await provisionThroughScim(userName);
  expect((await api("GET", `/orgs/${orgId}/users/${userId}`)).body.setupState).toBe("pending");

  const issued = await api("POST", `/orgs/${orgId}/users/${userId}/setup-link`);
  expect(issued.status).toBe(201);
  const url: string = issued.body.url;
  expect(url.startsWith(`${baseUrl}/setup#token=`)).toBe(true);
  const token = new URL(url).hash.slice("#token=".length);

  const context = await browser.newContext();
  const page = await context.newPage();
  const posted: { url: string; body: string | null; headers: Record<string, string> }[] = [];
  page.on("request", (r) => posted.push({ url: r.url(), body: r.postData(), headers: r.headers() }));
  const consoleErrors: string[] = [];
  page.on("pageerror", (e) => consoleErrors.push(e.message));

  await openSetupLink(page, url);

  // The page checks the passphrase before doing anything.
  await submitPassphrase(page, "too short");
  expect(await message(page, "setup-message", "error")).toMatch(/at least 12 characters/);
  await submitPassphrase(page, PASSPHRASE, `${PASSPHRASE}!`);
  expect(await message(page, "setup-message", "error")).toMatch(/do not match/);

  await submitPassphrase(page, PASSPHRASE);
  await setupCompleted(page);
  expect(await page.locator("#done").innerText()).toMatch(/Setup is complete[\s\S]*What happens next/);
  expect(await page.locator("#asker").innerText()).toBe("Setup e2e asks you to finish setting up your account.");
  expect(new URL(page.url()).hash).toBe(""); // the spent token left the address bar

  // What went over the wire: only the bundle, the token only in the Authorization header.
  const completion = posted.find((r) => r.url.endsWith("/api/v1/setup/complete"))!;
  expect(Object.keys(JSON.parse(completion.body!)).sort()).toEqual(["encryptedPrivateKey", "iv", "kdf", "publicKey", "salt"]);
  expect(completion.headers.authorization).toBe(`Bearer ${token}`);
  for (const r of posted) {
    expect(r.body ?? "").not.toContain(PASSPHRASE);
    expect(new URL(r.url).pathname + new URL(r.url).search).not.toContain(token);
  }

  // Reload: the session opens the unlock view; a wrong passphrase fails, the right one works.
  await page.reload();
  await page.locator("#view-unlock").waitFor({ state: "visible" });
  expect(await page.locator("#unlock-intro").innerText()).toContain(userName);
  await page.fill("#unlock-passphrase", "not my passphrase at all");
  await page.click("#unlock-submit");
  expect(await message(page, "unlock-message", "error")).toMatch(/Wrong passphrase/);
  await page.fill("#unlock-passphrase", PASSPHRASE);
  await page.click("#unlock-submit");
  expect(await message(page, "unlock-message", "success")).toMatch(/matches your public key/);
  expect(consoleErrors).toEqual([]);

  // The session cookie as the browser holds it.
  const cookies = await context.cookies(`${baseUrl}/api/v1/me/keys`);
  const session = cookies.find((c) => c.name === "edge_scim_user")!;
  expect(session).toMatchObject({ httpOnly: true, secure: true, sameSite: "Strict", path: "/api/v1/me" });
  expect(session.expires * 1000 - Date.now()).toBeLessThanOrEqual(12 * 60 * 60 * 1000);

  // The stored bundle, read with that session, in Node: it opens only with the passphrase, to the
  // private key whose public half is the stored publicKey.
  const res = await fetch(`${baseUrl}/api/v1/me/keys`, { headers: { Cookie: `edge_scim_user=${session.value}` } });
  expect(res.status).toBe(200);
  const bundle: any = await res.json();
  expect(bundle.kdf).toEqual({ name: "PBKDF2", hash: "SHA-256", iterations: 600_000 });
  expect(fromB64u(bundle.iv)).toHaveLength(12);
  expect(fromB64u(bundle.salt).length).toBeGreaterThanOrEqual(16);

  await expect(unlockInNode(bundle, "not my passphrase at all")).rejects.toThrow();
  await expect(unlockInNode(bundle, PASSPHRASE.toUpperCase())).rejects.toThrow();
  const pkcs8 = await unlockInNode(bundle, PASSPHRASE);
  const algorithm = { name: "ECDH", namedCurve: "P-256" };
  const privateJwk = await subtle.exportKey("jwk", await subtle.importKey("pkcs8", pkcs8, algorithm, true, ["deriveBits"]));
  const publicJwk = await subtle.exportKey("jwk", await subtle.importKey("spki", fromB64u(bundle.publicKey), algorithm, true, []));
  expect(privateJwk.d).toEqual(expect.any(String));
  expect({ x: privateJwk.x, y: privateJwk.y }).toEqual({ x: publicJwk.x, y: publicJwk.y });

  // The admin sees the state change, and none of the secrets.
  const adminView = await api("GET", `/orgs/${orgId}/users/${userId}`);
  expect(adminView.body.setupState).toBe("complete");
  const adminText = JSON.stringify(adminView.body);
  for (const secret of [bundle.encryptedPrivateKey, bundle.iv, bundle.salt, token, session.value]) {
    expect(adminText).not.toContain(secret);
  }

  // The same link, opened again in a fresh browser, is refused with the service's message.
  const other = await browser.newContext();
  const again = await other.newPage();
  // It says so as soon as the page opens, before any passphrase, and what the admin can do.
  const said = await openDeadSetupLink(again, url);
  expect(said).toMatch(/already been used/);
  expect(said).toMatch(/someone else may have/);
  expect(said).toMatch(/reset your setup/);
  await other.close();
  await context.close();
});

// Single sign-on end to end, in Chromium, against real identity providers on 127.0.0.1 (panva's
// oidc-provider and a samlify IdP, keys made for the run): provision a person through SCIM, sign in
// through the provider, create the key in the signed-in session, sign out, sign in again and unlock;
// deactivate the person through SCIM and the next sign-in is refused with a page saying so.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { admin, CORE_USER, newScimOrg, type ScimOrg } from "./support/api";
import { launchBrowser } from "./support/browser";
import { capture, expectAccessible, openConsoleBrowser, poll, signInToConsole } from "./support/console-page";
import { startOidcIdp, type OidcIdp } from "./support/oidc-idp";
import { startSamlIdp, type SamlIdp } from "./support/saml-idp";
import { setupMessage, submitPassphrase } from "./support/setup-page";

const PASSPHRASE = "correct horse battery staple";

let browser: Browser;
beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

async function provision(org: ScimOrg, userName: string) {
  const created = await org.scim("POST", "/Users", {
    schemas: [CORE_USER],
    userName,
    name: { givenName: "Grace", familyName: "Hopper" },
    emails: [{ value: userName, type: "work", primary: true }],
    active: true,
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body.id as string;
}

async function deactivate(org: ScimOrg, userId: string) {
  const res = await org.scim("PATCH", `/Users/${userId}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", path: "active", value: false }],
  });
  expect(res.status).toBe(200);
}

/** Walks the provider's pages (sign-in, consent) until the browser is back on our origin. */
type ProviderPages = (page: Page, userName: string) => Promise<void>;

async function signIn(page: Page, orgId: string, userName: string, providerPages: ProviderPages) {
  const baseUrl = inject("baseUrl");
  await page.goto(`${baseUrl}/sso/${orgId}/login`);
  await providerPages(page, userName);
  await page.waitForURL((url) => url.href.startsWith(baseUrl), { timeout: 30_000 });
}

async function journey(page: Page, org: ScimOrg, providerPages: ProviderPages, shots?: string) {
  const baseUrl = inject("baseUrl");
  const userName = `grace.${Date.now()}@example.com`;
  const userId = await provision(org, userName);

  // First sign-in of a pending person: the setup view, in the signed-in session, no link.
  await signIn(page, org.orgId, userName, providerPages);
  expect(new URL(page.url()).pathname).toBe("/setup");
  await page.locator("#view-setup").waitFor({ state: "visible" });
  expect(await page.locator("#session-bar").isVisible()).toBe(true);
  if (shots) {
    await expectAccessible(page, `${shots} setup`);
    await capture(page, `${shots}-setup`);
  }
  await submitPassphrase(page, PASSPHRASE);
  await page.locator("#view-unlock").waitFor({ state: "visible", timeout: 30_000 });
  expect((await admin("GET", `/orgs/${org.orgId}/users/${userId}`)).body.setupState).toBe("complete");

  // Sign out ends the session.
  await page.click("#sign-out");
  await page.locator("#view-signed-out").waitFor({ state: "visible" });
  expect((await page.context().cookies(`${baseUrl}/api/v1/me/keys`)).find((c) => c.name === "edge_scim_user")).toBeUndefined();

  // Signing in again opens the unlock view; the passphrase unlocks the key in the browser.
  await signIn(page, org.orgId, userName, providerPages);
  await page.locator("#view-unlock").waitFor({ state: "visible" });
  expect(await page.locator("#unlock-intro").innerText()).toContain(userName);
  await page.fill("#unlock-passphrase", PASSPHRASE);
  await page.click("#unlock-submit");
  expect(await setupMessage(page, "unlock-message", "success")).toMatch(/matches your public key/);
  if (shots) await capture(page, `${shots}-unlock`);

  // Deactivated through SCIM: the next sign-in is refused with a page, and the admin sees the attempt.
  await deactivate(org, userId);
  await signIn(page, org.orgId, userName, providerPages);
  expect(await page.locator("#sso-title").innerText()).toBe("You cannot sign in here");
  expect(await page.locator("#sso-message").innerText()).toMatch(/deactivated/);
  if (shots) {
    await expectAccessible(page, `${shots} refused`);
    await capture(page, `${shots}-refused`);
  }
  const attempts = (await admin("GET", `/orgs/${org.orgId}/sso/attempts`)).body.attempts;
  expect(attempts[0]).toMatchObject({ reason: "deactivated", subject: expect.stringContaining(userName), userId });
}

describe("OpenID Connect with oidc-provider", () => {
  let idp: OidcIdp;
  let org: ScimOrg;
  beforeAll(async () => {
    org = await newScimOrg("SSO OIDC e2e");
    idp = await startOidcIdp([`${inject("baseUrl")}/sso/${org.orgId}/oidc/callback`]);
    const put = await admin("PUT", `/orgs/${org.orgId}/sso`, { type: "oidc", issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  });
  afterAll(async () => {
    await idp?.stop();
  });

  it("provision → sign in → set up the key → sign out → sign in → unlock → deactivate → refused", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const providerPages: ProviderPages = async (p, userName) => {
      // oidc-provider's development pages: a sign-in form the first time, then consent; later
      // sign-ins may go straight through on the provider's own session.
      for (let i = 0; i < 3; i++) {
        await p.waitForLoadState("load");
        if (p.url().startsWith(inject("baseUrl"))) return;
        if (await p.locator('input[name="login"]').count()) {
          await p.fill('input[name="login"]', userName);
          await p.fill('input[name="password"]', "any password");
          await p.click('button[type="submit"]');
        } else if (await p.locator('button[type="submit"]').count()) {
          await p.click('button[type="submit"]');
        }
        await p.waitForLoadState("load");
      }
    };
    await journey(page, org, providerPages);
    await context.close();
  });
});

describe("SAML 2.0 with a samlify IdP", () => {
  let idp: SamlIdp;
  let org: ScimOrg;
  beforeAll(async () => {
    // The IdP's pages on "localhost", the service on 127.0.0.1: the ACS POST is cross-site, as in
    // production, so the session cookie's SameSite rules are exercised for real.
    idp = await startSamlIdp({ browserHost: "localhost" });
    org = await newScimOrg("SSO SAML e2e");
    const put = await admin("PUT", `/orgs/${org.orgId}/sso`, { type: "saml", metadataUrl: idp.metadataUrl });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
  });
  afterAll(async () => {
    await idp?.stop();
  });

  it("SP-initiated: provision → sign in → set up the key → sign out → sign in → unlock → deactivate → refused", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await journey(page, org, async (p, userName) => {
      await p.locator("#idp-sign-in").waitFor();
      expect(new URL(p.url()).hostname).toBe("localhost");
      await p.fill("#user", userName);
      await p.click("#idp-sign-in");
    }, "sso-saml");
    await context.close();
  });

  it("the console page shows the configuration, the values to copy, and the refused sign-ins", async () => {
    const baseUrl = inject("baseUrl");
    const { browser: consoleBrowser, page } = await openConsoleBrowser(baseUrl);
    try {
      // A response that fails verification is recorded as a refused sign-in.
      const bogus = await fetch(`${baseUrl}/sso/${org.orgId}/saml/acs`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({ SAMLResponse: Buffer.from("<samlp:Response/>").toString("base64") }),
      });
      expect(bogus.status).toBe(400);
      await signInToConsole(page, baseUrl, inject("adminToken"));
      await page.goto(`${baseUrl}/admin/orgs/${org.orgId}/settings/authentication/sso`);
      await poll(() => page.locator("#sso-status").innerText()).toMatch(/^On, with SAML 2\.0: identity provider http:\/\/127\.0\.0\.1/);
      expect(await page.locator("#sso-acs-url").inputValue()).toBe(`${baseUrl}/sso/${org.orgId}/saml/acs`);
      await page.click('button[data-copy="sso-acs-url"]');
      await poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${baseUrl}/sso/${org.orgId}/saml/acs`);
      await poll(() => page.locator("#sso-attempts tbody tr").first().innerText()).toMatch(/\bsaml_[a-z_]+/);
      await expectAccessible(page, "sso settings");
      await capture(page, "sso-settings");

      // Switching to OIDC without the secret is refused in the form, with the field named.
      await page.check('input[name="sso-type"][value="oidc"]');
      await page.fill("#oidc-issuer", "https://idp.invalid");
      await page.fill("#oidc-client-id", "x");
      await page.click('#oidc-form button[type="submit"]');
      await poll(() => page.locator("#oidc-error").innerText()).toMatch(/client secret/);
      expect((await admin("GET", `/orgs/${org.orgId}/sso`)).body.type).toBe("saml");
    } finally {
      await consoleBrowser.close();
    }
  });

  it("IdP-initiated: an unprovisioned person is refused; a provisioned, pending one lands in setup", async () => {
    const baseUrl = inject("baseUrl");
    const spMetadata = `${baseUrl}/sso/${org.orgId}/saml/metadata`;
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(idp.idpInitiatedUrl(spMetadata, `nobody.${Date.now()}@example.com`));
    await page.waitForURL((url) => url.href.startsWith(baseUrl));
    expect(await page.locator("#sso-message").innerText()).toMatch(/no account in this organization/);

    const userName = `ida.${Date.now()}@example.com`;
    await provision(org, userName);
    await page.goto(idp.idpInitiatedUrl(spMetadata, userName));
    await page.waitForURL(`${baseUrl}/setup`);
    await page.locator("#view-setup").waitFor({ state: "visible" });
    await context.close();
  });
});

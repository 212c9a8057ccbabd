// The console's Single sign-on page: behind sign-in, shows the values to copy, loads its script.
import { describe, expect, it } from "vitest";
import { admin, consoleSignIn, ORIGIN, viaWorker } from "../support/helpers";

const page = (path: string, cookie?: string) =>
  viaWorker(new Request(`${ORIGIN}${path}`, { headers: cookie ? { Cookie: cookie } : {}, redirect: "manual" }));

describe("console: Organization Settings › Authentication › Single sign-on", () => {
  it("needs a console session", async () => {
    const res = await page("/admin/orgs/x/settings/authentication/sso");
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toMatch(/^\/admin\/sign-in\?next=/);
  });

  it("shows the SP Entity ID, ACS URL, metadata URL and redirect URI to copy, and links from the org's navigation", async () => {
    const session = await consoleSignIn();
    const org = (await admin("POST", "/orgs", { name: "SSO console" })).body;
    const res = await page(`/admin/orgs/${org.id}/settings/authentication/sso`, session.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const value of [
      `${ORIGIN}/sso/${org.id}/saml/metadata`,
      `${ORIGIN}/sso/${org.id}/saml/acs`,
      `${ORIGIN}/sso/${org.id}/oidc/callback`,
      `${ORIGIN}/sso/${org.id}/login`,
    ]) {
      expect(html).toContain(`value="${value}"`);
    }
    expect(html).toContain('data-copy="sso-acs-url"');
    expect(html).toContain('src="/admin/assets/single-sign-on.js"');
    expect(html).toContain(`href="/admin/orgs/${org.id}/settings/authentication/sso" aria-current="page"`);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    const scim = await (await page(`/admin/orgs/${org.id}/settings/authentication/scim`, session.cookie)).text();
    expect(scim).toContain(`href="/admin/orgs/${org.id}/settings/authentication/sso"`);

    const script = await page("/admin/assets/single-sign-on.js");
    expect(script.status).toBe(200);
    expect(script.headers.get("Content-Type")).toMatch(/^text\/javascript/);
    expect(await script.text()).toContain('"/sso"');
  });

  it("answers a 404 page for an unknown org", async () => {
    const session = await consoleSignIn();
    expect((await page("/admin/orgs/nope/settings/authentication/sso", session.cookie)).status).toBe(404);
  });
});

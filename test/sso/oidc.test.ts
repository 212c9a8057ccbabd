/**
 * OpenID Connect sign-in against a fake provider with real keys: the happy path into setup and then
 * unlock, and every way the flow must refuse (state, PKCE, nonce, iss, aud, exp, signature, alg none,
 * another browser, an unprovisioned or deactivated person).
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { newScimOrg, ORIGIN, request } from "../support/helpers";
import { provision, scimSetActive, testBundle } from "../support/setup-helpers";
import { adminCall, cookiesOf, FakeOidcProvider, ssoApp, type Fetch, type IdTokenTweaks } from "../support/sso-helpers";

let idp: FakeOidcProvider;
let send: Fetch;

beforeAll(async () => {
  idp = await new FakeOidcProvider().init();
  send = ssoApp({ fetch: idp.fetch });
});

async function oidcOrg() {
  const org = await newScimOrg({ send });
  const put = await adminCall(send, "PUT", `/orgs/${org.orgId}/sso`, {
    type: "oidc",
    issuer: idp.issuer,
    clientId: idp.clientId,
    clientSecret: idp.clientSecret,
  });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  return org;
}

/** Starts a sign-in: our redirect to the provider, and the flow cookie our response set. */
async function start(orgId: string) {
  const res = await send(request("GET", `/sso/${orgId}/login`));
  expect(res.status).toBe(303);
  const location = res.headers.get("Location")!;
  const stateCookie = cookiesOf(res).edge_scim_sso_state;
  expect(stateCookie).toBeTruthy();
  return { location, stateCookie };
}

async function callback(url: string, stateCookie: string | null) {
  return send(
    new Request(url, { headers: stateCookie ? { Cookie: `edge_scim_sso_state=${stateCookie}` } : {}, redirect: "manual" }),
  );
}

async function signIn(orgId: string, tweaks: IdTokenTweaks = {}) {
  const { location, stateCookie } = await start(orgId);
  return callback(idp.authorize(location, tweaks), stateCookie);
}

async function attempts(orgId: string) {
  return (await adminCall(send, "GET", `/orgs/${orgId}/sso/attempts`)).body.attempts as any[];
}

describe("OIDC sign-in", () => {
  it("sends the browser to the provider with PKCE S256, state and nonce, and a Lax flow cookie", async () => {
    const org = await oidcOrg();
    const res = await send(request("GET", `/sso/${org.orgId}/login`));
    const url = new URL(res.headers.get("Location")!);
    expect(url.origin + url.pathname).toBe(`${idp.issuer}/authorize`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      client_id: idp.clientId,
      redirect_uri: `${ORIGIN}/sso/${org.orgId}/oidc/callback`,
      response_type: "code",
      code_challenge_method: "S256",
    });
    expect(url.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(url.searchParams.get("state")!.length).toBeGreaterThanOrEqual(32);
    expect(url.searchParams.get("nonce")!.length).toBeGreaterThanOrEqual(32);
    const setCookie = res.headers.get("Set-Cookie")!;
    expect(setCookie).toContain(`Path=/sso/${org.orgId}/oidc`);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
  });

  it("first sign-in of a pending person opens setup in the session; setup completes; later sign-ins unlock", async () => {
    const org = await oidcOrg();
    const userId = await provision(org, "alice@example.com");
    const res = await signIn(org.orgId);
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/setup");
    const session = cookiesOf(res).edge_scim_user;
    expect(session).toBeTruthy();
    // The token request carried the client secret (basic) and the PKCE verifier.
    expect(idp.tokenRequests.at(-1)!.body.get("code_verifier")).toMatch(/^[A-Za-z0-9_-]{43,}$/);

    const cookie = { Cookie: `edge_scim_user=${session}` };
    const pending = await send(request("GET", "/api/v1/me/keys", { headers: cookie }));
    expect(pending.status).toBe(404);
    expect((await pending.json<any>()).error.code).toBe("setup_pending");

    const bundle = await testBundle();
    const put = await send(request("PUT", "/api/v1/me/keys", { body: bundle, headers: { ...cookie, "Content-Type": "application/json" } }));
    expect(put.status, await put.clone().text()).toBe(200);
    expect(await put.json()).toMatchObject({ userId, setupState: "complete" });
    const again = await send(request("PUT", "/api/v1/me/keys", { body: await testBundle(), headers: { ...cookie, "Content-Type": "application/json" } }));
    expect(again.status).toBe(409);

    const keys = await send(request("GET", "/api/v1/me/keys", { headers: cookie }));
    expect(keys.status).toBe(200);
    expect((await keys.json<any>()).publicKey).toBe(bundle.publicKey);

    // Sign-out ends the session on the server.
    const out = await send(request("POST", "/api/v1/me/sign-out", { headers: cookie }));
    expect(out.status).toBe(204);
    expect((await send(request("GET", "/api/v1/me/keys", { headers: cookie }))).status).toBe(401);

    // A later sign-in gets a new session that reads the same bundle (the unlock view).
    const later = await signIn(org.orgId);
    expect(later.status).toBe(303);
    const unlock = await send(request("GET", "/api/v1/me/keys", { headers: { Cookie: `edge_scim_user=${cookiesOf(later).edge_scim_user}` } }));
    expect((await unlock.json<any>()).publicKey).toBe(bundle.publicKey);
  });

  it("matches preferred_username, case-insensitively, when the email is not a userName", async () => {
    const org = await oidcOrg();
    await provision(org, "Bob.Builder", ["bob@example.com"]);
    const res = await signIn(org.orgId, { email: "nobody@else.example", preferred_username: "BOB.builder" });
    expect(res.status).toBe(303);
  });

  it("matches the primary email when no userName matches, and ignores an unverified email", async () => {
    const org = await oidcOrg();
    await provision(org, "carol", ["Carol@Example.com"]);
    expect((await signIn(org.orgId, { email: "carol@example.com" })).status).toBe(303);
    const unverified = await signIn(org.orgId, { email: "carol@example.com", email_verified: false });
    expect(unverified.status).toBe(403);
  });

  it("refuses unknown and deactivated people with a page, and records both attempts for the admin", async () => {
    const org = await oidcOrg();
    const userId = await provision(org, "dave@example.com");
    const unknown = await signIn(org.orgId, { email: "mallory@example.com" });
    expect(unknown.status).toBe(403);
    expect(unknown.headers.get("Content-Type")).toMatch(/text\/html/);
    expect(await unknown.text()).toContain("no account in this organization");
    expect(cookiesOf(unknown).edge_scim_user).toBeUndefined();

    await scimSetActive(org, userId, false);
    const deactivated = await signIn(org.orgId, { email: "dave@example.com" });
    expect(deactivated.status).toBe(403);
    expect(await deactivated.text()).toContain("deactivated");

    const recorded = await attempts(org.orgId);
    expect(recorded.map((a) => [a.reason, a.subject, a.protocol])).toEqual([
      ["deactivated", "dave@example.com", "oidc"],
      ["unknown_user", "mallory@example.com", "oidc"],
    ]);
    expect(recorded[0].userId).toBe(userId);
  });

  it("does not let a person of another organization in", async () => {
    const org = await oidcOrg();
    const other = await newScimOrg({ send });
    await provision(other, "erin@example.com");
    expect((await signIn(org.orgId, { email: "erin@example.com" })).status).toBe(403);
  });

  const badTokens: [string, IdTokenTweaks][] = [
    ["a wrong issuer", { iss: "https://evil.example" }],
    ["a wrong audience", { aud: "someone-else" }],
    ["an expired token", { exp: Math.floor(Date.now() / 1000) - 3600 }],
    ["a wrong nonce", { nonce: "not-the-nonce" }],
    ["no nonce", { nonce: null }],
    ["a signature by a key not in the JWKS", { foreignKey: true }],
    ["alg none", { alg: "none" }],
  ];
  for (const [what, tweaks] of badTokens) {
    it(`refuses an ID token with ${what}`, async () => {
      const org = await oidcOrg();
      await provision(org, "alice@example.com");
      const res = await signIn(org.orgId, tweaks);
      expect(res.status).toBe(400);
      expect(cookiesOf(res).edge_scim_user).toBeUndefined();
      expect((await attempts(org.orgId))[0].reason).toBe("oidc_id_token");
    });
  }

  it("refuses a callback without the flow cookie (login CSRF), with another browser's state, or replayed", async () => {
    const org = await oidcOrg();
    await provision(org, "alice@example.com");
    const a = await start(org.orgId);
    const cb = idp.authorize(a.location);
    expect((await callback(cb, null)).status).toBe(400);
    // The state was consumed by that attempt: even the right browser cannot use it now.
    expect((await callback(cb, a.stateCookie)).status).toBe(400);

    const b = await start(org.orgId);
    const c = await start(org.orgId);
    expect((await callback(idp.authorize(b.location), c.stateCookie)).status).toBe(400);

    const d = await start(org.orgId);
    const ok = idp.authorize(d.location);
    expect((await callback(ok, d.stateCookie)).status).toBe(303);
    expect((await callback(ok, d.stateCookie)).status).toBe(400);
  });

  it("refuses a forged code (PKCE and the one-time code are the provider's; we pass its refusal on)", async () => {
    const org = await oidcOrg();
    await provision(org, "alice@example.com");
    const { location, stateCookie } = await start(org.orgId);
    const state = new URL(location).searchParams.get("state")!;
    const forged = `${ORIGIN}/sso/${org.orgId}/oidc/callback?code=made-up&state=${state}`;
    const res = await callback(forged, stateCookie);
    expect(res.status).toBe(400);
    expect((await attempts(org.orgId))[0].reason).toBe("oidc_token");
  });

  it("shows the provider's error (access_denied) as a failed sign-in, not a 500", async () => {
    const org = await oidcOrg();
    const { location, stateCookie } = await start(org.orgId);
    const state = new URL(location).searchParams.get("state")!;
    const res = await callback(`${ORIGIN}/sso/${org.orgId}/oidc/callback?error=access_denied&state=${state}`, stateCookie);
    expect(res.status).toBe(400);
    expect((await attempts(org.orgId))[0].reason).toBe("oidc_authorization_error");
  });

  it("fails closed with a clear 503 when SSO_SECRET_KEY is missing", async () => {
    const org = await oidcOrg();
    await provision(org, "alice@example.com");
    const noKey = ssoApp({ fetch: idp.fetch, env: { SSO_SECRET_KEY: undefined } });
    const put = await noKey(
      request("PUT", `/api/v1/orgs/${org.orgId}/sso`, {
        body: { type: "oidc", issuer: idp.issuer, clientId: "x", clientSecret: "y" },
        headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "Content-Type": "application/json" },
      }),
    );
    expect(put.status).toBe(503);
    expect((await put.json<any>()).error.code).toBe("sso_secret_key_missing");

    const { location, stateCookie } = await start(org.orgId);
    const res = await noKey(new Request(idp.authorize(location), { headers: { Cookie: `edge_scim_sso_state=${stateCookie}` } }));
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("sso_secret_key_missing");
  });

  it("a secret sealed under another key or copied to another org does not decrypt (refused, not a 500)", async () => {
    const org = await oidcOrg();
    await provision(org, "alice@example.com");
    const otherKey = ssoApp({ fetch: idp.fetch, env: { SSO_SECRET_KEY: "another-sso-secret-key-0123456789abcdefghijkl" } });
    const { location, stateCookie } = await start(org.orgId);
    const res = await otherKey(new Request(idp.authorize(location), { headers: { Cookie: `edge_scim_sso_state=${stateCookie}` } }));
    expect(res.status).toBe(503);
    expect(await res.text()).toContain("client_secret_unreadable");
  });
});

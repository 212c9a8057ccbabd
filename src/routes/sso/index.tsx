/**
 * Sign-in through an organization's single sign-on (issue 18): `GET /sso/{orgId}/login` starts it,
 * the SAML ACS and the OIDC callback finish it, `GET /sso/{orgId}/saml/metadata` is our SP metadata.
 * A finished sign-in sets the person's session cookie and sends them to /setup, which opens the key
 * setup (first sign-in) or the unlock view (every later one).
 */
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { findOrg } from "../../db/orgs";
import { findSsoConfig } from "../../db/sso";
import { finishOidc, finishSaml, startOidc, startSaml, type SignInResult } from "../../sso/sign-in";
import { MAX_SAML_RESPONSE_CHARS, spMetadataXml } from "../../sso/saml";
import { safeReturnPath, SIGNED_IN_PATH, spUrls } from "../../sso/urls";
import { SsoMessagePage, SsoPostPage, type SsoMessage } from "../../ui/pages/sso";
import { renderPage } from "../render";
import { pageSecurityHeaders, type CspDirectives } from "../middleware/security-headers";
import { setUserSessionCookie } from "../api/user-session-cookie";
import type { AppEnv } from "../context";
import { publicOrigin } from "../origin";

const PAGE_CSP: CspDirectives = { "default-src": ["'self'"], "form-action": ["'self'"] };
/** Binds an OIDC callback to the browser that started the flow (login CSRF). */
const STATE_COOKIE = "edge_scim_sso_state";
const statePath = (orgId: string) => `/sso/${encodeURIComponent(orgId)}/oidc`;

async function page(c: Context<AppEnv>, body: Parameters<typeof renderPage>[1], status: 200 | 400 | 403 | 404 | 413 | 503, csp = PAGE_CSP) {
  const res = await renderPage(c, body, status);
  for (const [name, value] of Object.entries(pageSecurityHeaders(csp))) res.headers.set(name, value);
  return res;
}

const message = (c: Context<AppEnv>, m: SsoMessage, status: 400 | 403 | 404 | 413 | 503) => page(c, <SsoMessagePage {...m} />, status);
/** A SAML response is a few kilobytes; the form around it is never read past this. */
const MAX_ACS_BODY_BYTES = 1024 * 1024;

function notSetUp(c: Context<AppEnv>) {
  return message(
    c,
    { title: "Single sign-on is not available", message: "This organization has no single sign-on of this kind set up. Ask your administrator." },
    404,
  );
}

/** Turns a finished sign-in into a session and a redirect, or into the page that says why not. */
function outcome(c: Context<AppEnv>, orgId: string, result: SignInResult, returnPath: string) {
  if (result.ok) {
    setUserSessionCookie(c, result.sessionId);
    c.header("Cache-Control", "no-store");
    return c.redirect(returnPath, 303);
  }
  const retryHref = spUrls("", orgId).loginUrl;
  if (result.kind === "person") {
    const text =
      result.reason === "deactivated"
        ? "Your account in this organization is deactivated, so you cannot sign in. If you think this is a mistake, contact your administrator."
        : result.reason === "ambiguous"
          ? "More than one account in this organization matches you, so you cannot be signed in. Your administrator can fix this."
          : "Your identity provider signed you in, but you have no account in this organization: only people provisioned to it can sign in. Ask your administrator to give you access.";
    return message(c, { title: "You cannot sign in here", message: text, reference: result.reason }, 403);
  }
  if (result.kind === "service") {
    return message(c, { title: "Sign-in is unavailable", message: "Single sign-on is not working right now. Try again later or tell your administrator.", reference: result.reason, retryHref }, 503);
  }
  return message(c, { title: "Sign-in failed", message: "The sign-in could not be verified. Start again from the sign-in link.", reference: result.reason, retryHref }, 400);
}

export const ssoRoutes = new Hono<AppEnv>()
  .get("/:orgId/login", async (c) => {
    const orgId = c.req.param("orgId");
    const config = await findSsoConfig(c.var.db, orgId);
    if (!config) return notSetUp(c);
    const urls = spUrls(publicOrigin(c), orgId);
    const now = c.var.clock();
    if (config.protocol === "saml") {
      const start = await startSaml(c.var.db, orgId, config.settings, { entityId: urls.spEntityId, acsUrl: urls.acsUrl }, SIGNED_IN_PATH, now);
      if (start.binding === "redirect") return c.redirect(start.url, 303);
      const csp = { ...PAGE_CSP, "form-action": [new URL(start.action).origin] };
      return page(c, <SsoPostPage action={start.action} fields={start.fields} />, 200, csp);
    }
    const start = await startOidc(c.var.db, orgId, config.settings, urls.redirectUri, c.var.outboundFetch, now);
    if (!start.ok) return outcome(c, orgId, start, SIGNED_IN_PATH);
    // Lax, not Strict: the provider's redirect back to us is a cross-site top-level navigation.
    setCookie(c, STATE_COOKIE, start.state, { path: statePath(orgId), httpOnly: true, secure: true, sameSite: "Lax", maxAge: 600 });
    c.header("Cache-Control", "no-store");
    return c.redirect(start.url, 303);
  })
  .post(
    "/:orgId/saml/acs",
    bodyLimit({
      maxSize: MAX_ACS_BODY_BYTES,
      onError: (c) => message(c, { title: "Sign-in failed", message: "The sign-in response is too large.", reference: "saml_too_large" }, 413),
    }),
    async (c) => {
    const orgId = c.req.param("orgId");
    const config = await findSsoConfig(c.var.db, orgId);
    if (!config || config.protocol !== "saml") return notSetUp(c);
    let form: Record<string, unknown> = {};
    const type = c.req.header("Content-Type") ?? "";
    if (type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/form-data")) {
      try {
        form = await c.req.parseBody();
      } catch {
        form = {};
      }
    }
    const samlResponse = form.SAMLResponse;
    if (typeof samlResponse !== "string" || samlResponse.length === 0 || samlResponse.length > MAX_SAML_RESPONSE_CHARS) {
      return message(c, { title: "Sign-in failed", message: "No SAML response arrived. Start again from the sign-in link.", reference: "saml_missing" }, 400);
    }
    const urls = spUrls(publicOrigin(c), orgId);
    const result = await finishSaml(c.var.db, orgId, config.settings, { entityId: urls.spEntityId, acsUrl: urls.acsUrl }, samlResponse, c.var.clock());
    const relayState = typeof form.RelayState === "string" ? form.RelayState : null;
    return outcome(c, orgId, result, safeReturnPath(relayState));
    },
  )
  .get("/:orgId/saml/metadata", async (c) => {
    const orgId = c.req.param("orgId");
    // Served before SSO is configured: an admin creates the IdP's application from it first.
    if (!(await findOrg(c.var.db, orgId))) return notSetUp(c);
    const urls = spUrls(publicOrigin(c), orgId);
    return c.body(spMetadataXml({ entityId: urls.spEntityId, acsUrl: urls.acsUrl }), 200, {
      "Content-Type": "application/samlmetadata+xml; charset=utf-8",
      "Content-Disposition": `inline; filename="edge-scim-sp-metadata.xml"`,
    });
  })
  .get("/:orgId/oidc/callback", async (c) => {
    const orgId = c.req.param("orgId");
    const cookieState = getCookie(c, STATE_COOKIE);
    deleteCookie(c, STATE_COOKIE, { path: statePath(orgId), httpOnly: true, secure: true, sameSite: "Lax" });
    const config = await findSsoConfig(c.var.db, orgId);
    if (!config || config.protocol !== "oidc") return notSetUp(c);
    const urls = spUrls(publicOrigin(c), orgId);
    const result = await finishOidc(
      c.var.db,
      orgId,
      config.settings,
      {
        callbackUrl: c.req.url,
        redirectUri: urls.redirectUri,
        cookieState,
        clientSecretEncrypted: config.clientSecretEncrypted,
        secretKey: c.env.SSO_SECRET_KEY,
      },
      c.var.outboundFetch,
      c.var.clock(),
    );
    return outcome(c, orgId, result, SIGNED_IN_PATH);
  });

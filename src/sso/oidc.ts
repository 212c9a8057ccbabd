/**
 * OpenID Connect for one organization: the authorization code flow with PKCE (S256), `state` and
 * `nonce`, on panva's oauth4webapi (discovery, the authorization response, the token request and the
 * ID token's claims: iss, aud, azp, exp, iat, nonce). oauth4webapi does not check the ID token's
 * signature when the token came straight from the token endpoint over TLS; we check it anyway, with
 * jose against the issuer's JWKS, so a token endpoint answer is trusted only when the issuer signed it.
 *
 * Every network call goes through the `fetch` the caller passes (tests serve a fake issuer with it).
 */
import * as jose from "jose";
import * as oauth from "oauth4webapi";
import type { OidcSettings } from "./config";
import { CLOCK_SKEW_MS } from "./saml";
import { isLoopbackHost } from "../lib/origins";

export type Fetch = typeof fetch;

/** An OIDC sign-in must come back within this time. */
export const OIDC_FLOW_TTL_MS = 10 * 60_000;
const SCOPE = "openid email profile";
const TIMEOUT_MS = 10_000;

export type OidcRefusal = "provider_unreachable" | "provider_invalid" | "authorization_error" | "state" | "token" | "id_token";

export type OidcFailure = { ok: false; reason: OidcRefusal; detail: string };

function transport(issuer: string, f: Fetch) {
  const { hostname, protocol } = new URL(issuer);
  return {
    [oauth.customFetch]: (url: string, init: RequestInit) => f(url, { ...init, signal: AbortSignal.timeout(TIMEOUT_MS) }),
    [oauth.allowInsecureRequests]: protocol === "http:" && isLoopbackHost(hostname),
  };
}

function failure(reason: OidcRefusal, err: unknown): OidcFailure {
  const e = err as { message?: string; error?: string; error_description?: string; cause?: unknown };
  const oauthError = err instanceof oauth.AuthorizationResponseError || err instanceof oauth.ResponseBodyError;
  const detail = oauthError ? `${e.error}${e.error_description ? `: ${e.error_description}` : ""}` : (e.message ?? String(err));
  return { ok: false, reason, detail: detail.slice(0, 300) };
}

async function discover(settings: OidcSettings, f: Fetch): Promise<{ ok: true; as: oauth.AuthorizationServer } | OidcFailure> {
  const issuer = new URL(settings.issuer);
  let response: Response;
  try {
    response = await oauth.discoveryRequest(issuer, { algorithm: "oidc", ...transport(settings.issuer, f) });
  } catch (err) {
    return failure("provider_unreachable", err);
  }
  try {
    const as = await oauth.processDiscoveryResponse(issuer, response);
    if (!as.authorization_endpoint || !as.token_endpoint || !as.jwks_uri) {
      return { ok: false, reason: "provider_invalid", detail: "discovery lacks authorization_endpoint, token_endpoint or jwks_uri" };
    }
    return { ok: true, as };
  } catch (err) {
    return failure("provider_invalid", err);
  }
}

export interface OidcStart {
  url: string;
  state: string;
  nonce: string;
  codeVerifier: string;
}

/** Discovers the issuer and builds the authorization URL; the caller keeps state, nonce and verifier. */
export async function startOidcSignIn(
  settings: OidcSettings,
  redirectUri: string,
  f: Fetch,
): Promise<({ ok: true } & OidcStart) | OidcFailure> {
  const found = await discover(settings, f);
  if (!found.ok) return found;
  const state = oauth.generateRandomState();
  const nonce = oauth.generateRandomNonce();
  const codeVerifier = oauth.generateRandomCodeVerifier();
  const url = new URL(found.as.authorization_endpoint!);
  url.searchParams.set("client_id", settings.clientId);
  url.searchParams.set("redirect_uri", redirectUri);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("scope", SCOPE);
  url.searchParams.set("state", state);
  url.searchParams.set("nonce", nonce);
  url.searchParams.set("code_challenge", await oauth.calculatePKCECodeChallenge(codeVerifier));
  url.searchParams.set("code_challenge_method", "S256");
  return { ok: true, url: url.href, state, nonce, codeVerifier };
}

export interface OidcIdentity {
  subject: string;
  /** `email`, unless the provider says it is unverified. */
  email: string | null;
  preferredUsername: string | null;
}

export interface OidcCallback {
  /** The full callback URL as the browser requested it. */
  callbackUrl: string;
  redirectUri: string;
  clientSecret: string;
  /** What the flow stored when it started. */
  state: string;
  nonce: string;
  codeVerifier: string;
  now: number;
}

function clientAuthFor(as: oauth.AuthorizationServer, secret: string): oauth.ClientAuth {
  const methods = as.token_endpoint_auth_methods_supported;
  // client_secret_basic is the default in OpenID Connect Discovery; use post only when basic is not offered.
  if (methods && !methods.includes("client_secret_basic") && methods.includes("client_secret_post")) {
    return oauth.ClientSecretPost(secret);
  }
  return oauth.ClientSecretBasic(secret);
}

/** Finishes the flow: checks the authorization response, redeems the code, verifies the ID token. */
export async function finishOidcSignIn(
  settings: OidcSettings,
  cb: OidcCallback,
  f: Fetch,
): Promise<{ ok: true; identity: OidcIdentity } | OidcFailure> {
  const found = await discover(settings, f);
  if (!found.ok) return found;
  const { as } = found;
  const skewSeconds = Math.round((cb.now - Date.now()) / 1000);
  const client: oauth.Client = { client_id: settings.clientId, [oauth.clockSkew]: skewSeconds, [oauth.clockTolerance]: CLOCK_SKEW_MS / 1000 };

  let params: URLSearchParams;
  try {
    params = oauth.validateAuthResponse(as, client, new URL(cb.callbackUrl), cb.state);
  } catch (err) {
    const stateProblem = err instanceof oauth.OperationProcessingError && /state/i.test(err.message);
    return failure(err instanceof oauth.AuthorizationResponseError ? "authorization_error" : stateProblem ? "state" : "authorization_error", err);
  }

  let idToken: string;
  try {
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      client,
      clientAuthFor(as, cb.clientSecret),
      params,
      cb.redirectUri,
      cb.codeVerifier,
      transport(settings.issuer, f),
    );
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, { expectedNonce: cb.nonce, requireIdToken: true });
    if (!result.id_token) return { ok: false, reason: "id_token", detail: "the token response has no id_token" };
    idToken = result.id_token;
  } catch (err) {
    const claimProblem = err instanceof oauth.OperationProcessingError && /claim|nonce|id_token|jwt/i.test(err.message);
    return failure(claimProblem ? "id_token" : "token", err);
  }

  try {
    const jwks = jose.createRemoteJWKSet(new URL(as.jwks_uri!), {
      [jose.customFetch]: (url, init) => f(url, init),
      timeoutDuration: TIMEOUT_MS,
    });
    const { payload } = await jose.jwtVerify(idToken, jwks, {
      issuer: as.issuer,
      audience: settings.clientId,
      currentDate: new Date(cb.now),
      clockTolerance: CLOCK_SKEW_MS / 1000,
      requiredClaims: ["sub", "exp", "iat"],
    });
    if (payload.nonce !== cb.nonce) return { ok: false, reason: "id_token", detail: "nonce mismatch" };
    const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);
    return {
      ok: true,
      identity: {
        subject: payload.sub!,
        email: payload.email_verified === false ? null : text(payload.email),
        preferredUsername: text(payload.preferred_username),
      },
    };
  } catch (err) {
    return failure("id_token", err);
  }
}

/**
 * Test support for single sign-on: an app whose outbound calls reach a fake OpenID provider (served
 * from this file, with real RS256 keys and a real JWKS), SAML responses signed with xml-crypto under
 * keys made for the run, and the helpers to read what a sign-in answered.
 */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import * as jose from "jose";
import { SignedXml } from "xml-crypto";
import { createApp } from "../../src/app";
import type { Clock } from "../../src/lib/clock";
import { ADMIN_HEADERS, ORIGIN, request } from "./helpers";

export const SSO_SECRET_KEY = "test-sso-secret-key-0123456789abcdefghijklmnopqrstuvwxyz";

export type Fetch = (request: Request) => Promise<Response>;

/** The Worker with an injected outbound fetch (the fake providers) and SSO_SECRET_KEY set. */
export function ssoApp(options: { fetch?: typeof fetch; clock?: Clock; env?: Record<string, unknown> } = {}): Fetch {
  const app = createApp({ clock: options.clock, fetch: options.fetch });
  return async (req) => {
    const ctx = createExecutionContext();
    const res = await app.fetch(req, { ...env, SSO_SECRET_KEY, ...options.env }, ctx);
    await waitOnExecutionContext(ctx);
    return res;
  };
}

export async function adminCall(send: Fetch, method: string, path: string, body?: unknown) {
  const res = await send(request(method, `/api/v1${path}`, { body, headers: ADMIN_HEADERS }));
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** Reads a response's Set-Cookie values by name (several may be set at once). */
export function cookiesOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  // workerd joins several Set-Cookie headers with ", "; cookie values here never contain ", ".
  for (const line of (res.headers.get("Set-Cookie") ?? "").split(/,\s*(?=[A-Za-z_]+=)/).filter(Boolean)) {
    const [pair] = line.split(";");
    const eq = pair.indexOf("=");
    out[pair.slice(0, eq).trim()] = pair.slice(eq + 1).trim();
  }
  return out;
}

// --- A fake OpenID provider --------------------------------------------------------------------

export interface IdTokenTweaks {
  iss?: string;
  aud?: string;
  exp?: number;
  nonce?: string | null;
  email?: string;
  email_verified?: boolean;
  preferred_username?: string;
  /** Sign with a key that is not in the JWKS. */
  foreignKey?: boolean;
  alg?: "none";
}

interface Grant {
  clientId: string;
  redirectUri: string;
  nonce: string;
  challenge: string;
  claims: IdTokenTweaks;
}

export class FakeOidcProvider {
  readonly issuer: string;
  readonly clientId = "edge-scim-test-client";
  readonly clientSecret = "fake-client-secret-value";
  private readonly grants = new Map<string, Grant>();
  private keys!: { privateKey: CryptoKey; publicJwk: jose.JWK };
  private foreign!: CryptoKey;
  readonly tokenRequests: { auth: string | null; body: URLSearchParams }[] = [];
  /** Claims every ID token gets unless a tweak overrides them. */
  subjectEmail = "alice@example.com";

  constructor(issuer = "https://idp.example.test") {
    this.issuer = issuer;
  }

  async init() {
    const pair = await jose.generateKeyPair("RS256", { extractable: true });
    const publicJwk = { ...(await jose.exportJWK(pair.publicKey)), kid: "k1", alg: "RS256", use: "sig" };
    this.keys = { privateKey: pair.privateKey, publicJwk };
    this.foreign = (await jose.generateKeyPair("RS256")).privateKey;
    return this;
  }

  /** The outbound fetch: answers discovery, the token endpoint and the JWKS; anything else is 404. */
  readonly fetch: typeof fetch = async (input, init) => {
    const req = new Request(input as RequestInfo, init);
    const url = new URL(req.url);
    if (!req.url.startsWith(this.issuer)) return new Response("not this provider", { status: 502 });
    const path = url.pathname.slice(new URL(this.issuer).pathname.replace(/\/$/, "").length);
    if (path === "/.well-known/openid-configuration") {
      return Response.json({
        issuer: this.issuer,
        authorization_endpoint: `${this.issuer}/authorize`,
        token_endpoint: `${this.issuer}/token`,
        jwks_uri: `${this.issuer}/jwks`,
        response_types_supported: ["code"],
        subject_types_supported: ["public"],
        id_token_signing_alg_values_supported: ["RS256"],
        code_challenge_methods_supported: ["S256"],
      });
    }
    if (path === "/jwks") return Response.json({ keys: [this.keys.publicJwk] });
    if (path === "/token" && req.method === "POST") return this.token(req);
    return new Response("not found", { status: 404 });
  };

  /** What the provider does when the person consents: a code bound to the request's PKCE challenge and nonce. */
  authorize(authorizationUrl: string, claims: IdTokenTweaks = {}): string {
    const url = new URL(authorizationUrl);
    const p = url.searchParams;
    if (p.get("client_id") !== this.clientId) throw new Error("wrong client_id");
    if (p.get("code_challenge_method") !== "S256" || !p.get("code_challenge")) throw new Error("no PKCE");
    if (!p.get("nonce") || !p.get("state")) throw new Error("no nonce or state");
    const code = crypto.randomUUID();
    this.grants.set(code, {
      clientId: p.get("client_id")!,
      redirectUri: p.get("redirect_uri")!,
      nonce: p.get("nonce")!,
      challenge: p.get("code_challenge")!,
      claims,
    });
    const back = new URL(p.get("redirect_uri")!);
    back.searchParams.set("code", code);
    back.searchParams.set("state", p.get("state")!);
    return back.href;
  }

  private async token(req: Request): Promise<Response> {
    const body = new URLSearchParams(await req.text());
    const auth = req.headers.get("Authorization");
    this.tokenRequests.push({ auth, body });
    // RFC 6749 §2.3.1: both halves are form-urlencoded before base64.
    const [id, secret] = atob(auth?.replace(/^Basic /, "") ?? "").split(":").map((part) => decodeURIComponent(part.replace(/\+/g, " ")));
    if (!auth?.startsWith("Basic ") || id !== this.clientId || secret !== this.clientSecret) {
      return Response.json({ error: "invalid_client" }, { status: 401 });
    }
    const grant = this.grants.get(body.get("code") ?? "");
    this.grants.delete(body.get("code") ?? "");
    if (!grant || body.get("redirect_uri") !== grant.redirectUri) return Response.json({ error: "invalid_grant" }, { status: 400 });
    const verifier = body.get("code_verifier") ?? "";
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier)));
    if (jose.base64url.encode(digest) !== grant.challenge) return Response.json({ error: "invalid_grant", error_description: "PKCE" }, { status: 400 });
    return Response.json({ access_token: "at", token_type: "Bearer", expires_in: 300, id_token: await this.idToken(grant) });
  }

  private async idToken(grant: Grant): Promise<string> {
    const t = grant.claims;
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      sub: "sub-" + (t.email ?? this.subjectEmail),
      email: t.email ?? this.subjectEmail,
      email_verified: t.email_verified ?? true,
      ...(t.preferred_username ? { preferred_username: t.preferred_username } : {}),
      ...(t.nonce === null ? {} : { nonce: t.nonce ?? grant.nonce }),
    };
    if (t.alg === "none") {
      const enc = (o: unknown) => jose.base64url.encode(JSON.stringify(o));
      return `${enc({ alg: "none" })}.${enc({ ...payload, iss: this.issuer, aud: grant.clientId, iat: now, exp: now + 300 })}.`;
    }
    return new jose.SignJWT(payload)
      .setProtectedHeader({ alg: "RS256", kid: "k1" })
      .setIssuer(t.iss ?? this.issuer)
      .setAudience(t.aud ?? grant.clientId)
      .setIssuedAt(now)
      .setExpirationTime(t.exp ?? now + 300)
      .sign(t.foreignKey ? this.foreign : this.keys.privateKey);
  }
}

// --- SAML ----------------------------------------------------------------------------------------

export const IDP_ENTITY_ID = "https://idp.example.test/saml";
export const IDP_SSO_URL = "https://idp.example.test/saml/sso";
const RSA_SHA256 = "http://www.w3.org/2001/04/xmldsig-more#rsa-sha256";
const SHA256 = "http://www.w3.org/2001/04/xmlenc#sha256";
const EXC_C14N = "http://www.w3.org/2001/10/xml-exc-c14n#";
const ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature";

export const samlKeys = () => env.TEST_SAML_KEYS;
const bareCert = (pem: string) => pem.replace(/-----[A-Z ]+-----/g, "").replace(/\s+/g, "");

export function idpMetadataXml(cert = samlKeys().idp.cert, entityId = IDP_ENTITY_ID, ssoUrl = IDP_SSO_URL): string {
  return `<?xml version="1.0"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${entityId}">
  <md:IDPSSODescriptor WantAuthnRequestsSigned="false" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:KeyDescriptor use="signing"><ds:KeyInfo xmlns:ds="http://www.w3.org/2000/09/xmldsig#"><ds:X509Data><ds:X509Certificate>${bareCert(cert)}</ds:X509Certificate></ds:X509Data></ds:KeyInfo></md:KeyDescriptor>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="${ssoUrl}"/>
    <md:SingleSignOnService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ssoUrl}"/>
  </md:IDPSSODescriptor>
</md:EntityDescriptor>`;
}

export interface AssertionFields {
  acsUrl: string;
  audience: string;
  nameId?: string;
  email?: string;
  issuer?: string;
  recipient?: string;
  destination?: string | null;
  inResponseTo?: string;
  /** Leave NotOnOrAfter out of the SubjectConfirmationData. */
  noConfirmationExpiry?: boolean;
  /** Assertion-level InResponseTo; defaults to inResponseTo. */
  assertionInResponseTo?: string;
  notBefore?: Date;
  notOnOrAfter?: Date;
  assertionId?: string;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

export function assertionXml(f: AssertionFields): string {
  const now = new Date();
  const notBefore = f.notBefore ?? new Date(now.getTime() - 30_000);
  const notOnOrAfter = f.notOnOrAfter ?? new Date(now.getTime() + 300_000);
  const irt = f.assertionInResponseTo ?? f.inResponseTo;
  return (
    `<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="${f.assertionId ?? "_a" + crypto.randomUUID()}" Version="2.0" IssueInstant="${now.toISOString()}">` +
    `<saml:Issuer>${esc(f.issuer ?? IDP_ENTITY_ID)}</saml:Issuer>` +
    `<saml:Subject><saml:NameID Format="urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress">${esc(f.nameId ?? "alice@example.com")}</saml:NameID>` +
    `<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer"><saml:SubjectConfirmationData${f.noConfirmationExpiry ? "" : ` NotOnOrAfter="${notOnOrAfter.toISOString()}"`} Recipient="${esc(f.recipient ?? f.acsUrl)}"${irt ? ` InResponseTo="${irt}"` : ""}/></saml:SubjectConfirmation></saml:Subject>` +
    `<saml:Conditions NotBefore="${notBefore.toISOString()}" NotOnOrAfter="${notOnOrAfter.toISOString()}"><saml:AudienceRestriction><saml:Audience>${esc(f.audience)}</saml:Audience></saml:AudienceRestriction></saml:Conditions>` +
    `<saml:AuthnStatement AuthnInstant="${now.toISOString()}"><saml:AuthnContext><saml:AuthnContextClassRef>urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>` +
    (f.email
      ? `<saml:AttributeStatement><saml:Attribute Name="email"><saml:AttributeValue>${esc(f.email)}</saml:AttributeValue></saml:Attribute></saml:AttributeStatement>`
      : "") +
    `</saml:Assertion>`
  );
}

export function responseXml(f: AssertionFields, inner = assertionXml(f)): string {
  const destination = f.destination === undefined ? f.acsUrl : f.destination;
  return (
    `<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_r${crypto.randomUUID()}" Version="2.0" IssueInstant="${new Date().toISOString()}"` +
    `${destination ? ` Destination="${esc(destination)}"` : ""}${f.inResponseTo ? ` InResponseTo="${f.inResponseTo}"` : ""}>` +
    `<saml:Issuer>${esc(f.issuer ?? IDP_ENTITY_ID)}</saml:Issuer>` +
    `<samlp:Status><samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>` +
    inner +
    `</samlp:Response>`
  );
}

/** Signs the element `what` (the Assertion or the Response) of `xml` with the given key. */
export function sign(xml: string, what: "Assertion" | "Response", key = samlKeys().idp): string {
  const sig = new SignedXml({ privateKey: key.privateKey, publicCert: key.cert, signatureAlgorithm: RSA_SHA256, canonicalizationAlgorithm: EXC_C14N });
  sig.addReference({ xpath: `//*[local-name(.)='${what}']`, digestAlgorithm: SHA256, transforms: [ENVELOPED, EXC_C14N] });
  // The signature goes right after the signed element's own Issuer, as the schema wants.
  const issuer = what === "Assertion" ? "//*[local-name(.)='Assertion']/*[local-name(.)='Issuer']" : "/*/*[local-name(.)='Issuer']";
  sig.computeSignature(xml, { location: { reference: issuer, action: "after" } });
  return sig.getSignedXml();
}

export const b64 = (xml: string) => btoa(String.fromCharCode(...new TextEncoder().encode(xml)));

export function postAcs(send: Fetch, orgId: string, samlResponse: string, relayState?: string) {
  const form = new URLSearchParams({ SAMLResponse: samlResponse, ...(relayState !== undefined ? { RelayState: relayState } : {}) });
  return send(
    new Request(`${ORIGIN}/sso/${orgId}/saml/acs`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: form.toString(),
      redirect: "manual",
    }),
  );
}

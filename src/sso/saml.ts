/**
 * SAML 2.0 for one organization, on @node-saml/node-saml (the SAML core of passport-saml, maintained
 * by the node-saml organization; it runs on workerd with nodejs_compat, see test/sso/saml.test.ts).
 *
 * node-saml verifies the XML signature with xml-crypto and reads the assertion only from the bytes
 * the signature covers (xml-crypto's getSignedReferences), refuses responses with more than one
 * assertion, checks the audience, NotBefore/NotOnOrAfter and, when present, InResponseTo. What it
 * leaves to its caller is done here: the assertion's Issuer, the bearer SubjectConfirmation's
 * Recipient, the Response's Destination, an InResponseTo in the signed assertion that the unsigned
 * Response dropped, and the assertion id and lifetime that the caller remembers against replay.
 */
import { SAML, ValidateInResponseTo, type CacheProvider, type Profile } from "@node-saml/node-saml";
import { DOMParser } from "@xmldom/xmldom";
import type { SamlSettings } from "./config";

/** How far the IdP's clock may be from ours (NotBefore / NotOnOrAfter). */
export const CLOCK_SKEW_MS = 60_000;
/** An SP-initiated sign-in must come back within this time. */
export const SAML_REQUEST_TTL_MS = 10 * 60_000;
/**
 * Assertions valid for longer than this are refused: their ids are remembered until they expire,
 * and a sign-in assertion lives minutes, not days.
 */
const MAX_ASSERTION_TTL_MS = 24 * 60 * 60_000;
const BEARER = "urn:oasis:names:tc:SAML:2.0:cm:bearer";

export interface SamlSp {
  entityId: string;
  acsUrl: string;
}

/** The sign-ins we started and that are still open, as the caller keeps them (D1 in the service). */
export interface PendingRequests {
  /** When the request with this id was made, or null if it is unknown or already used. */
  find(id: string): Promise<number | null>;
  remove(id: string): Promise<void>;
}

function samlFor(settings: SamlSettings, sp: SamlSp, cacheProvider: CacheProvider) {
  return new SAML({
    idpCert: settings.signingCerts,
    idpIssuer: settings.idpEntityId,
    entryPoint: settings.ssoUrl,
    issuer: sp.entityId,
    audience: sp.entityId,
    callbackUrl: sp.acsUrl,
    // Either the Response or the Assertion must carry a valid signature (node-saml refuses otherwise).
    wantAuthnResponseSigned: false,
    wantAssertionsSigned: false,
    acceptedClockSkewMs: CLOCK_SKEW_MS,
    validateInResponseTo: ValidateInResponseTo.ifPresent,
    requestIdExpirationPeriodMs: SAML_REQUEST_TTL_MS,
    cacheProvider,
    identifierFormat: null,
    disableRequestedAuthnContext: true,
    skipRequestCompression: settings.ssoBinding === "post",
  });
}

export type SamlStart =
  | { binding: "redirect"; requestId: string; url: string }
  | { binding: "post"; requestId: string; action: string; fields: Record<string, string> };

/** Builds the AuthnRequest of an SP-initiated sign-in; the caller remembers `requestId` for InResponseTo. */
export async function startSamlSignIn(settings: SamlSettings, sp: SamlSp, relayState: string): Promise<SamlStart> {
  let requestId = "";
  const cache: CacheProvider = {
    saveAsync: async (key, value) => {
      requestId = key;
      return { value, createdAt: Date.now() };
    },
    getAsync: async () => null,
    removeAsync: async () => null,
  };
  const saml = samlFor(settings, sp, cache);
  if (settings.ssoBinding === "redirect") {
    const url = await saml.getAuthorizeUrlAsync(relayState, undefined, {});
    return { binding: "redirect", requestId, url };
  }
  const fields = (await saml.getAuthorizeMessageAsync(relayState, undefined, {})) as Record<string, string>;
  return { binding: "post", requestId, action: settings.ssoUrl, fields };
}

export type SamlRefusal =
  | "malformed"
  | "signature"
  | "status"
  | "issuer"
  | "audience"
  | "recipient"
  | "destination"
  | "time"
  | "in_response_to"
  | "no_subject";

export interface SamlIdentity {
  nameId: string;
  emails: string[];
}

export type SamlVerdict =
  | { ok: true; assertionId: string; expiresAt: number; identity: SamlIdentity; inResponseTo: string | null }
  | { ok: false; reason: SamlRefusal; detail: string };

/** Upper bound on the base64 SAMLResponse we even try to parse (real ones are a few kilobytes). */
export const MAX_SAML_RESPONSE_CHARS = 512 * 1024;

function refusalOf(message: string): SamlRefusal {
  const m = message.toLowerCase();
  if (m.includes("signature")) return "signature";
  if (m.includes("inresponseto")) return "in_response_to";
  if (m.includes("audience")) return "audience";
  if (m.includes("issuer")) return "issuer";
  if (m.includes("subject confirmation")) return "time";
  if (m.includes("notbefore") || m.includes("notonorafter") || m.includes("expired") || m.includes("not yet valid")) return "time";
  if (m.includes("saml provider returned")) return "status";
  return "malformed";
}

type XmlNode = { $?: Record<string, string>; _?: string; [child: string]: unknown };
const first = (value: unknown): XmlNode | undefined => (Array.isArray(value) ? (value[0] as XmlNode) : undefined);
const all = (value: unknown): XmlNode[] => (Array.isArray(value) ? (value as XmlNode[]) : []);

/** Attribute names under which identity providers send an email address. */
const EMAIL_ATTRIBUTES = new Set([
  "email",
  "mail",
  "emailaddress",
  "urn:oid:0.9.2342.19200300.100.1.3",
  "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
]);

function emailsOf(profile: Profile): string[] {
  const out: string[] = [];
  for (const [name, value] of Object.entries(profile.attributes ?? {})) {
    if (!EMAIL_ATTRIBUTES.has(name.toLowerCase())) continue;
    for (const v of [value].flat()) if (typeof v === "string" && v.trim()) out.push(v.trim());
  }
  return out;
}

function destinationOf(responseXml: string): string | null {
  const doc = new DOMParser({ onError: () => {} }).parseFromString(responseXml, "text/xml");
  return doc.documentElement?.getAttribute("Destination") || null;
}

/**
 * Verifies a SAMLResponse (the base64 form field) posted to our ACS. `now` dates the replay memory;
 * node-saml reads the system clock for the assertion's time conditions.
 */
export async function verifySamlResponse(
  settings: SamlSettings,
  sp: SamlSp,
  samlResponse: string,
  pending: PendingRequests,
  now: number,
): Promise<SamlVerdict> {
  if (samlResponse.length > MAX_SAML_RESPONSE_CHARS || !/^[A-Za-z0-9+/=\s]+$/.test(samlResponse)) {
    return { ok: false, reason: "malformed", detail: "SAMLResponse is not base64 of a reasonable size" };
  }
  const cache: CacheProvider = {
    saveAsync: async () => null,
    getAsync: async (key) => {
      const at = await pending.find(key);
      return at == null ? null : new Date(at).toISOString();
    },
    removeAsync: async (key) => {
      if (key) await pending.remove(key);
      return key;
    },
  };
  let profile: Profile | null;
  try {
    ({ profile } = await samlFor(settings, sp, cache).validatePostResponseAsync({ SAMLResponse: samlResponse.replace(/\s+/g, "") }));
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { ok: false, reason: refusalOf(message), detail: message.slice(0, 300) };
  }
  if (!profile) return { ok: false, reason: "malformed", detail: "the response carries no assertion" };

  // Everything below reads the signed assertion (node-saml parsed it from the verified bytes).
  const assertion = (profile.getAssertion?.() as { Assertion?: XmlNode } | undefined)?.Assertion;
  const assertionId = assertion?.$?.ID;
  if (!assertion || !assertionId) return { ok: false, reason: "malformed", detail: "the assertion has no ID" };
  if (profile.issuer !== settings.idpEntityId) {
    return { ok: false, reason: "issuer", detail: `assertion Issuer is ${JSON.stringify(profile.issuer ?? null)}, expected ${settings.idpEntityId}` };
  }

  const confirmations = all(first(assertion.Subject)?.SubjectConfirmation).filter((sc) => sc.$?.Method === BEARER);
  const data = confirmations.map((sc) => first(sc.SubjectConfirmationData)).filter((d): d is XmlNode => !!d);
  const forUs = data.find((d) => d.$?.Recipient === sp.acsUrl);
  if (!forUs) {
    const got = data.map((d) => d.$?.Recipient ?? "(none)").join(", ") || "no bearer SubjectConfirmation";
    return { ok: false, reason: "recipient", detail: `SubjectConfirmationData Recipient is ${got}, expected ${sp.acsUrl}` };
  }
  if (!forUs.$?.NotOnOrAfter) {
    // Required by the Web Browser SSO profile; without it an assertion would never expire, and the
    // replay memory (which lasts until it expires) could not cover it.
    return { ok: false, reason: "time", detail: "the bearer SubjectConfirmationData has no NotOnOrAfter" };
  }
  const signedInResponseTo = forUs.$?.InResponseTo ?? null;
  const inResponseTo = typeof profile.inResponseTo === "string" ? profile.inResponseTo : null;
  if (signedInResponseTo && signedInResponseTo !== inResponseTo) {
    // The signed assertion answers a request of ours, but the (unsigned) Response claims otherwise.
    return { ok: false, reason: "in_response_to", detail: "the assertion's InResponseTo does not match the response's" };
  }

  const destination = destinationOf(profile.getSamlResponseXml?.() ?? "");
  if (destination !== null && destination !== sp.acsUrl) {
    return { ok: false, reason: "destination", detail: `Response Destination is ${destination}, expected ${sp.acsUrl}` };
  }

  const nameId = profile.nameID?.trim();
  if (!nameId) return { ok: false, reason: "no_subject", detail: "the assertion has no NameID" };

  const ends = [first(assertion.Conditions)?.$?.NotOnOrAfter, forUs.$?.NotOnOrAfter]
    .map((t) => (t ? Date.parse(t) : NaN))
    .filter((t) => Number.isFinite(t));
  if (ends.length === 0) return { ok: false, reason: "time", detail: "NotOnOrAfter is not a valid time" };
  if (Math.max(...ends) - now > MAX_ASSERTION_TTL_MS) {
    return { ok: false, reason: "time", detail: "the assertion claims to stay valid for more than a day" };
  }
  const expiresAt = Math.max(...ends) + CLOCK_SKEW_MS;
  return { ok: true, assertionId, expiresAt, identity: { nameId, emails: emailsOf(profile) }, inResponseTo };
}

/** Our SP metadata: entity ID, the ACS (HTTP-POST), and that we want signed assertions. */
export function spMetadataXml(sp: SamlSp): string {
  const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");
  return `<?xml version="1.0" encoding="UTF-8"?>
<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="${esc(sp.entityId)}">
  <md:SPSSODescriptor AuthnRequestsSigned="false" WantAssertionsSigned="true" protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol">
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress</md:NameIDFormat>
    <md:NameIDFormat>urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified</md:NameIDFormat>
    <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${esc(sp.acsUrl)}" index="0" isDefault="true"/>
  </md:SPSSODescriptor>
</md:EntityDescriptor>
`;
}

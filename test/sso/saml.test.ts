/**
 * SAML sign-in through @node-saml/node-saml running in workerd: signed responses and assertions are
 * accepted, and every attack here is refused — XML signature wrapping (the vectors of Somorovsky et
 * al., "On Breaking SAML", 2012), comment injection, tampering, unsigned or foreign-key signatures,
 * audience/recipient/destination/issuer, time conditions, InResponseTo and replay; RelayState never
 * redirects off-site.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { newScimOrg, ORIGIN, request } from "../support/helpers";
import { provision, scimSetActive } from "../support/setup-helpers";
import {
  adminCall,
  assertionXml,
  b64,
  cookiesOf,
  IDP_SSO_URL,
  idpMetadataXml,
  postAcs,
  responseXml,
  samlKeys,
  sign,
  ssoApp,
  type AssertionFields,
  type Fetch,
} from "../support/sso-helpers";

let send: Fetch;
beforeAll(() => {
  send = ssoApp();
});

async function samlOrg() {
  const org = await newScimOrg({ send });
  const put = await adminCall(send, "PUT", `/orgs/${org.orgId}/sso`, { type: "saml", metadataXml: idpMetadataXml() });
  expect(put.status, JSON.stringify(put.body)).toBe(200);
  const acsUrl = `${ORIGIN}/sso/${org.orgId}/saml/acs`;
  const audience = `${ORIGIN}/sso/${org.orgId}/saml/metadata`;
  await provision(org, "alice@example.com");
  const fields = (more: Partial<AssertionFields> = {}): AssertionFields => ({ acsUrl, audience, ...more });
  return { org, orgId: org.orgId, acsUrl, audience, fields };
}

async function attempts(orgId: string) {
  return (await adminCall(send, "GET", `/orgs/${orgId}/sso/attempts`)).body.attempts as any[];
}

/** Refused: a 400 page, no session, and the refusal's reason recorded. */
async function expectRefused(res: Response, orgId: string, reason?: string | RegExp) {
  expect(res.status, res.headers.get("Location") ?? "").toBe(400);
  expect(cookiesOf(res).edge_scim_user).toBeUndefined();
  expect(res.headers.get("Content-Type")).toMatch(/text\/html/);
  const last = (await attempts(orgId))[0];
  if (reason instanceof RegExp) expect(last.reason).toMatch(reason);
  else if (reason) expect(last.reason).toBe(reason);
}

const assertionOf = (xml: string) => /<saml:Assertion[\s\S]*<\/saml:Assertion>/.exec(xml)![0];

describe("SAML: accepted responses", () => {
  it("an IdP-initiated response with a signed assertion signs the person in and goes to /setup", async () => {
    const { orgId, fields } = await samlOrg();
    const res = await postAcs(send, orgId, b64(sign(responseXml(fields()), "Assertion")));
    expect(res.status).toBe(303);
    expect(res.headers.get("Location")).toBe("/setup");
    expect(cookiesOf(res).edge_scim_user).toBeTruthy();
  });

  it("a signed response (assertion unsigned inside it) is accepted too", async () => {
    const { orgId, fields } = await samlOrg();
    expect((await postAcs(send, orgId, b64(sign(responseXml(fields()), "Response")))).status).toBe(303);
  });

  it("SP-initiated: the AuthnRequest goes to the IdP; the answer to it is accepted once", async () => {
    const { orgId, fields, acsUrl, audience } = await samlOrg();
    const login = await send(request("GET", `/sso/${orgId}/login`));
    expect(login.status).toBe(303);
    const url = new URL(login.headers.get("Location")!);
    expect(url.origin + url.pathname).toBe(IDP_SSO_URL);
    expect(url.searchParams.get("RelayState")).toBe("/setup");
    const inflated = await new Response(
      new Blob([Uint8Array.from(atob(url.searchParams.get("SAMLRequest")!), (c) => c.charCodeAt(0))]).stream().pipeThrough(new DecompressionStream("deflate-raw")),
    ).text();
    expect(inflated).toContain(`AssertionConsumerServiceURL="${acsUrl}"`);
    expect(inflated).toContain(`<saml:Issuer xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion">${audience}</saml:Issuer>`);
    const requestId = /ID="([^"]+)"/.exec(inflated)![1];

    const ok = await postAcs(send, orgId, b64(sign(responseXml(fields({ inResponseTo: requestId })), "Assertion")), "/setup");
    expect(ok.status).toBe(303);
    // The request was answered: a second, fresh assertion for it is refused.
    const again = await postAcs(send, orgId, b64(sign(responseXml(fields({ inResponseTo: requestId })), "Assertion")));
    await expectRefused(again, orgId, "saml_in_response_to");
  });

  it("matches an email attribute when the NameID is not a userName", async () => {
    const { orgId, fields } = await samlOrg();
    const res = await postAcs(send, orgId, b64(sign(responseXml(fields({ nameId: "u-12345", email: "ALICE@example.com" })), "Assertion")));
    expect(res.status).toBe(303);
  });
});

describe("SAML: the directory decides", () => {
  it("refuses an unknown person and a deactivated one with a 403 page, recorded for the admin", async () => {
    const { org, orgId, fields } = await samlOrg();
    const unknown = await postAcs(send, orgId, b64(sign(responseXml(fields({ nameId: "mallory@example.com" })), "Assertion")));
    expect(unknown.status).toBe(403);
    expect(await unknown.text()).toContain("no account in this organization");
    const bob = await provision(org, "bob@example.com");
    await scimSetActive(org, bob, false);
    const deactivated = await postAcs(send, orgId, b64(sign(responseXml(fields({ nameId: "bob@example.com" })), "Assertion")));
    expect(deactivated.status).toBe(403);
    expect((await attempts(orgId)).slice(0, 2).map((a) => [a.reason, a.subject, a.protocol])).toEqual([
      ["deactivated", "bob@example.com", "saml"],
      ["unknown_user", "mallory@example.com", "saml"],
    ]);
  });
});

describe("SAML: signatures and XML signature wrapping", () => {
  it("refuses an unsigned response", async () => {
    const { orgId, fields } = await samlOrg();
    await expectRefused(await postAcs(send, orgId, b64(responseXml(fields()))), orgId, "saml_signature");
  });

  it("refuses a response or assertion signed with a key the IdP metadata does not name (even with its cert in KeyInfo)", async () => {
    const { orgId, fields } = await samlOrg();
    const attacker = samlKeys().attacker;
    await expectRefused(await postAcs(send, orgId, b64(sign(responseXml(fields()), "Assertion", attacker))), orgId, "saml_signature");
    await expectRefused(await postAcs(send, orgId, b64(sign(responseXml(fields()), "Response", attacker))), orgId, "saml_signature");
  });

  it("refuses a NameID changed after signing", async () => {
    const { orgId, fields } = await samlOrg();
    const signed = sign(responseXml(fields({ nameId: "mallory@example.com" })), "Assertion");
    const tampered = signed.replace("mallory@example.com</saml:NameID>", "alice@example.com</saml:NameID>");
    expect(tampered).not.toBe(signed);
    await expectRefused(await postAcs(send, orgId, b64(tampered)), orgId, "saml_signature");
  });

  it("comment injection: a NameID split by a comment is read whole, so it does not become alice", async () => {
    const { orgId, fields } = await samlOrg();
    // Mallory owns alice@example.com.evil.test at the IdP; the comment is outside what c14n signs.
    const signed = sign(responseXml(fields({ nameId: "alice@example.com.evil.test" })), "Assertion");
    const injected = signed.replace("alice@example.com.evil.test</saml:NameID>", "alice@example.com<!---->.evil.test</saml:NameID>");
    const res = await postAcs(send, orgId, b64(injected));
    expect(res.status).toBe(403);
    expect((await attempts(orgId))[0]).toMatchObject({ reason: "unknown_user", subject: "alice@example.com.evil.test" });
  });

  // Mallory holds a validly signed assertion for herself and tries to make us read alice's instead.
  async function wrapping(build: (signedMallory: string, evilAlice: string, fields: (m?: Partial<AssertionFields>) => AssertionFields) => string) {
    const { orgId, fields } = await samlOrg();
    const signedResponse = sign(responseXml(fields({ nameId: "mallory@example.com" })), "Assertion");
    const evil = assertionXml(fields({ nameId: "alice@example.com" }));
    const res = await postAcs(send, orgId, b64(build(signedResponse, evil, fields)));
    await expectRefused(res, orgId);
    return orgId;
  }

  it("XSW: an unsigned evil assertion beside the signed one", async () => {
    await wrapping((signed, evil) => signed.replace("<saml:Assertion", `${evil}<saml:Assertion`));
  });

  it("XSW: the evil assertion in the response, the signed one hidden in samlp:Extensions", async () => {
    await wrapping((signed, evil, fields) =>
      responseXml(fields(), `<samlp:Extensions>${assertionOf(signed)}</samlp:Extensions>${evil}`).replace(
        "<samlp:Status>",
        "<samlp:Status>",
      ),
    );
  });

  it("XSW: the signed assertion nested inside the evil one", async () => {
    await wrapping((signed, evil) => {
      const nested = evil.replace("</saml:Assertion>", `${assertionOf(signed)}</saml:Assertion>`);
      return signed.replace(assertionOf(signed), nested);
    });
  });

  it("XSW: the evil assertion carries the signature (and the signed one in ds:Object), with the same ID", async () => {
    await wrapping((signed, evil) => {
      const original = assertionOf(signed);
      const signature = /<Signature[\s\S]*<\/Signature>/.exec(original)![0];
      const id = /ID="([^"]+)"/.exec(original)![1];
      const withoutSig = original.replace(signature, "");
      const evilSameId = evil.replace(/ID="[^"]+"/, `ID="${id}"`);
      const sigWithObject = signature.replace("</Signature>", `<Object>${withoutSig}</Object></Signature>`);
      const evilSigned = evilSameId.replace("</saml:Issuer>", `</saml:Issuer>${sigWithObject}`);
      return signed.replace(original, evilSigned);
    });
  });

  it("XSW: a signed response wrapped inside an evil response (response-level signature)", async () => {
    const { orgId, fields } = await samlOrg();
    const signedResponse = sign(responseXml(fields({ nameId: "mallory@example.com" })), "Response");
    const evil = responseXml(fields(), `<samlp:Extensions>${signedResponse}</samlp:Extensions>${assertionXml(fields({ nameId: "alice@example.com" }))}`);
    await expectRefused(await postAcs(send, orgId, b64(evil)), orgId, "saml_signature");
  });

  it("refuses two signed assertions in one response", async () => {
    const { orgId, fields } = await samlOrg();
    const one = assertionOf(sign(responseXml(fields()), "Assertion"));
    const two = assertionOf(sign(responseXml(fields()), "Assertion"));
    await expectRefused(await postAcs(send, orgId, b64(responseXml(fields(), one + two))), orgId, "saml_signature");
  });
});

describe("SAML: conditions", () => {
  const cases: [string, (f: AssertionFields) => Partial<AssertionFields>, string][] = [
    ["another audience", () => ({ audience: "https://other-sp.example/saml" }), "saml_audience"],
    ["another recipient", () => ({ recipient: "https://other-sp.example/acs" }), "saml_recipient"],
    ["another destination", () => ({ destination: "https://other-sp.example/acs" }), "saml_destination"],
    ["another issuer", () => ({ issuer: "https://evil.example/saml" }), "saml_issuer"],
    ["an expired assertion", () => ({ notBefore: new Date(Date.now() - 3_600_000), notOnOrAfter: new Date(Date.now() - 120_000) }), "saml_time"],
    ["a NotBefore beyond the skew", () => ({ notBefore: new Date(Date.now() + 300_000), notOnOrAfter: new Date(Date.now() + 600_000) }), "saml_time"],
    ["a SubjectConfirmationData without NotOnOrAfter", () => ({ noConfirmationExpiry: true }), "saml_time"],
    ["an assertion valid for two days", () => ({ notOnOrAfter: new Date(Date.now() + 2 * 24 * 3_600_000) }), "saml_time"],
    ["an unknown InResponseTo", () => ({ inResponseTo: "_never-requested" }), "saml_in_response_to"],
    ["an InResponseTo the response dropped", () => ({ assertionInResponseTo: "_requested-by-someone" }), "saml_in_response_to"],
  ];
  for (const [what, tweak, reason] of cases) {
    it(`refuses ${what}`, async () => {
      const { orgId, fields } = await samlOrg();
      const f = fields();
      const res = await postAcs(send, orgId, b64(sign(responseXml({ ...f, ...tweak(f) }), "Assertion")));
      await expectRefused(res, orgId, reason);
    });
  }

  it("accepts a NotBefore within the 60 s skew", async () => {
    const { orgId, fields } = await samlOrg();
    const res = await postAcs(send, orgId, b64(sign(responseXml(fields({ notBefore: new Date(Date.now() + 30_000) })), "Assertion")));
    expect(res.status).toBe(303);
  });

  it("refuses a replayed assertion", async () => {
    const { orgId, fields } = await samlOrg();
    const posted = b64(sign(responseXml(fields()), "Assertion"));
    expect((await postAcs(send, orgId, posted)).status).toBe(303);
    await expectRefused(await postAcs(send, orgId, posted), orgId, "saml_replay");
  });

  it("an assertion for one org is refused at another org's ACS (audience and recipient differ)", async () => {
    const a = await samlOrg();
    const b = await samlOrg();
    await expectRefused(await postAcs(send, b.orgId, b64(sign(responseXml(a.fields()), "Assertion"))), b.orgId);
  });
});

describe("SAML: RelayState and bad input", () => {
  for (const relay of ["https://evil.example/", "//evil.example", "/\\evil.example", "javascript:alert(1)", "/admin", "/setup/../admin"]) {
    it(`never redirects to RelayState ${JSON.stringify(relay)}`, async () => {
      const { orgId, fields } = await samlOrg();
      const res = await postAcs(send, orgId, b64(sign(responseXml(fields()), "Assertion")), relay);
      expect(res.status).toBe(303);
      expect(res.headers.get("Location")).toBe("/setup");
    });
  }

  it("answers garbage with 400 pages, never 500", async () => {
    const { orgId } = await samlOrg();
    for (const body of ["", "SAMLResponse=", "SAMLResponse=%%%", `SAMLResponse=${b64("<not-xml")}`, `SAMLResponse=${b64("<?xml version='1.0'?><!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>")}`]) {
      const res = await send(new Request(`${ORIGIN}/sso/${orgId}/saml/acs`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body }));
      expect(res.status, body).toBe(400);
    }
    const huge = await send(new Request(`${ORIGIN}/sso/${orgId}/saml/acs`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: "SAMLResponse=" + "A".repeat(2 * 1024 * 1024) }));
    expect(huge.status).toBe(413);
    const json = await send(new Request(`${ORIGIN}/sso/${orgId}/saml/acs`, { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" }));
    expect(json.status).toBe(400);
  });
});

/** The admin API of an org's single sign-on, the SP metadata, and the /sso routes' answers to bad input. */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { admin, ORIGIN, request, viaWorker } from "../support/helpers";
import { adminCall, FakeOidcProvider, idpMetadataXml, IDP_ENTITY_ID, IDP_SSO_URL, ssoApp, type Fetch } from "../support/sso-helpers";

let idp: FakeOidcProvider;
let send: Fetch;
const METADATA_URL = "https://idp.example.test/saml/metadata.xml";

beforeAll(async () => {
  idp = await new FakeOidcProvider().init();
  // The IdP's metadata URL and a loopback issuer are answered here; every other URL fails like the internet would.
  const loopback = await new FakeOidcProvider("http://127.0.0.1:9/issuer").init();
  send = ssoApp({
    fetch: async (input, init) => {
      const url = new Request(input as RequestInfo, init).url;
      if (url === METADATA_URL) return new Response(idpMetadataXml(), { headers: { "Content-Type": "application/samlmetadata+xml" } });
      if (url.startsWith(loopback.issuer)) return loopback.fetch(input, init);
      return idp.fetch(input, init);
    },
  });
});

async function newOrg() {
  return (await admin("POST", "/orgs", { name: `SSO ${crypto.randomUUID()}` }, send)).body.id as string;
}

describe("PUT/GET/DELETE /api/v1/orgs/{orgId}/sso", () => {
  it("SAML from pasted metadata: answers what JumpCloud asks for, and GET shows the same", async () => {
    const orgId = await newOrg();
    const put = await adminCall(send, "PUT", `/orgs/${orgId}/sso`, { type: "saml", metadataXml: idpMetadataXml() });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      type: "saml",
      orgId,
      spEntityId: `${ORIGIN}/sso/${orgId}/saml/metadata`,
      acsUrl: `${ORIGIN}/sso/${orgId}/saml/acs`,
      metadataUrl: `${ORIGIN}/sso/${orgId}/saml/metadata`,
      loginUrl: `${ORIGIN}/sso/${orgId}/login`,
      idp: { entityId: IDP_ENTITY_ID, ssoUrl: IDP_SSO_URL, certificates: 1, metadataUrl: null },
    });
    expect((await adminCall(send, "GET", `/orgs/${orgId}/sso`)).body).toEqual(put.body);
  });

  it("SAML from a metadata URL (fetched when saved)", async () => {
    const orgId = await newOrg();
    const put = await adminCall(send, "PUT", `/orgs/${orgId}/sso`, { type: "saml", metadataUrl: METADATA_URL });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(put.body.idp).toMatchObject({ metadataUrl: METADATA_URL, entityId: IDP_ENTITY_ID });
  });

  it("OIDC: the secret is stored encrypted and never shown; GET gives the redirect URI", async () => {
    const orgId = await newOrg();
    const put = await adminCall(send, "PUT", `/orgs/${orgId}/sso`, {
      type: "oidc",
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecret: idp.clientSecret,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      type: "oidc",
      issuer: idp.issuer,
      clientId: idp.clientId,
      clientSecretSet: true,
      redirectUri: `${ORIGIN}/sso/${orgId}/oidc/callback`,
    });
    const got = await adminCall(send, "GET", `/orgs/${orgId}/sso`);
    expect(JSON.stringify(got.body)).not.toContain(idp.clientSecret);
    const row = await env.DB.prepare("SELECT * FROM sso_configs WHERE org_id = ?").bind(orgId).first<Record<string, string>>();
    expect(JSON.stringify(row)).not.toContain(idp.clientSecret);
    expect(row!.client_secret_encrypted).toMatch(/^v1\./);
  });

  it("accepts an http issuer only on a loopback address", async () => {
    const orgId = await newOrg();
    const loop = await adminCall(send, "PUT", `/orgs/${orgId}/sso`, { type: "oidc", issuer: "http://127.0.0.1:9/issuer", clientId: "c", clientSecret: "s" });
    expect(loop.status, JSON.stringify(loop.body)).toBe(200);
    const plain = await adminCall(send, "PUT", `/orgs/${orgId}/sso`, { type: "oidc", issuer: "http://idp.example.test", clientId: "c", clientSecret: "s" });
    expect(plain.status).toBe(400);
    expect(plain.body.error.field).toBe("issuer");
  });

  it("DELETE removes it (204), after which GET and DELETE answer 404; switching protocol replaces it", async () => {
    const orgId = await newOrg();
    await adminCall(send, "PUT", `/orgs/${orgId}/sso`, { type: "saml", metadataXml: idpMetadataXml() });
    const oidc = await adminCall(send, "PUT", `/orgs/${orgId}/sso`, { type: "oidc", issuer: idp.issuer, clientId: "c", clientSecret: "s" });
    expect(oidc.body.type).toBe("oidc");
    expect((await adminCall(send, "DELETE", `/orgs/${orgId}/sso`)).status).toBe(204);
    const gone = await adminCall(send, "GET", `/orgs/${orgId}/sso`);
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe("sso_not_configured");
    expect((await adminCall(send, "DELETE", `/orgs/${orgId}/sso`)).status).toBe(404);
  });

  const bad: [string, unknown, string?][] = [
    ["no type", { metadataXml: "x" }],
    ["an unknown type", { type: "ldap" }],
    ["both metadata sources", { type: "saml", metadataXml: idpMetadataXml(), metadataUrl: METADATA_URL }, "metadataUrl"],
    ["neither metadata source", { type: "saml" }, "metadataUrl"],
    ["an extra key", { type: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "s", admin: true }, "admin"],
    ["an empty client secret", { type: "oidc", issuer: "https://idp.example.test", clientId: "c", clientSecret: "" }, "clientSecret"],
    ["an issuer with a fragment", { type: "oidc", issuer: "https://idp.example.test/#x", clientId: "c", clientSecret: "s" }, "issuer"],
    ["malformed metadata", { type: "saml", metadataXml: "<md:EntityDescriptor" }, "metadataXml"],
    ["metadata with a DOCTYPE", { type: "saml", metadataXml: `<!DOCTYPE x [<!ENTITY e "x">]>${idpMetadataXml()}` }, "metadataXml"],
    ["SP metadata instead of IdP metadata", { type: "saml", metadataXml: `<md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="x"><md:SPSSODescriptor/></md:EntityDescriptor>` }, "metadataXml"],
    ["metadata without a signing certificate", { type: "saml", metadataXml: idpMetadataXml().replace(/<md:KeyDescriptor[\s\S]*<\/md:KeyDescriptor>/, "") }, "metadataXml"],
    ["an unreachable metadata URL", { type: "saml", metadataUrl: "https://nowhere.example.test/md.xml" }, "metadataUrl"],
    ["an issuer whose discovery fails", { type: "oidc", issuer: "https://nowhere.example.test", clientId: "c", clientSecret: "s" }, "issuer"],
  ];
  for (const [what, body, field] of bad) {
    it(`answers 400 for ${what}`, async () => {
      const orgId = await newOrg();
      const res = await adminCall(send, "PUT", `/orgs/${orgId}/sso`, body);
      expect(res.status, JSON.stringify(res.body)).toBe(400);
      if (field) expect(res.body.error.field).toBe(field);
      expect((await adminCall(send, "GET", `/orgs/${orgId}/sso`)).status).toBe(404);
    });
  }

  it("answers 400 for a body that is not JSON, 404 for an unknown org and 401 without the operator", async () => {
    const orgId = await newOrg();
    const notJson = await send(request("PUT", `/api/v1/orgs/${orgId}/sso`, { body: "{", headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "Content-Type": "application/json" } }));
    expect(notJson.status).toBe(400);
    expect((await adminCall(send, "GET", `/orgs/nope/sso`)).status).toBe(404);
    expect((await adminCall(send, "PUT", `/orgs/nope/sso`, { type: "saml", metadataXml: idpMetadataXml() })).status).toBe(404);
    expect((await viaWorker(request("GET", `/api/v1/orgs/${orgId}/sso`))).status).toBe(401);
    expect((await viaWorker(request("GET", `/api/v1/orgs/${orgId}/sso/attempts`))).status).toBe(401);
  });

  it("deleting the org deletes its configuration", async () => {
    const orgId = await newOrg();
    await adminCall(send, "PUT", `/orgs/${orgId}/sso`, { type: "saml", metadataXml: idpMetadataXml() });
    await env.DB.prepare("DELETE FROM orgs WHERE id = ?").bind(orgId).run();
    expect(await env.DB.prepare("SELECT count(*) AS n FROM sso_configs WHERE org_id = ?").bind(orgId).first("n")).toBe(0);
  });
});

describe("/sso routes", () => {
  it("serves SP metadata with our entity ID and ACS, also before SSO is configured", async () => {
    const orgId = await newOrg();
    const res = await send(request("GET", `/sso/${orgId}/saml/metadata`));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/samlmetadata\+xml/);
    const xml = await res.text();
    expect(xml).toContain(`entityID="${ORIGIN}/sso/${orgId}/saml/metadata"`);
    expect(xml).toContain(`Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="${ORIGIN}/sso/${orgId}/saml/acs"`);
    expect(xml).toContain(`WantAssertionsSigned="true"`);
    expect((await send(request("GET", `/sso/nope/saml/metadata`))).status).toBe(404);
  });

  it("answers 404 pages for sign-in where SSO is not configured, or is the other protocol", async () => {
    const orgId = await newOrg();
    for (const [method, path] of [
      ["GET", `/sso/${orgId}/login`],
      ["GET", `/sso/nope/login`],
      ["GET", `/sso/${orgId}/oidc/callback?code=x&state=y`],
      ["POST", `/sso/${orgId}/saml/acs`],
    ]) {
      const res = await send(request(method, path));
      expect(res.status, path).toBe(404);
      expect(res.headers.get("Content-Type")).toMatch(/text\/html/);
      expect(res.headers.get("Content-Security-Policy")).toContain("frame-ancestors 'none'");
    }
    await adminCall(send, "PUT", `/orgs/${orgId}/sso`, { type: "saml", metadataXml: idpMetadataXml() });
    expect((await send(request("GET", `/sso/${orgId}/oidc/callback?code=x&state=y`))).status).toBe(404);
  });

  it("an OIDC callback with no, odd or huge state is a 400 page", async () => {
    const orgId = await newOrg();
    await adminCall(send, "PUT", `/orgs/${orgId}/sso`, { type: "oidc", issuer: idp.issuer, clientId: "c", clientSecret: "s" });
    for (const query of ["", "?code=x", "?state=" + "a".repeat(5000), "?state=%FF%FE", "?error=access_denied"]) {
      const res = await send(request("GET", `/sso/${orgId}/oidc/callback${query}`));
      expect(res.status, query).toBe(400);
    }
  });
});

/**
 * A SAML identity provider on 127.0.0.1 for the end-to-end test, built on samlify's IdP side with a
 * key and self-signed certificate made for the run. It serves its metadata, takes SP-initiated
 * AuthnRequests (HTTP-Redirect), shows a one-field sign-in form, and posts the signed response to
 * the service's ACS from an auto-submitting form, as a browser-based IdP does.
 */
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as samlify from "samlify";
import selfsigned from "selfsigned";

export interface SamlIdp {
  metadataUrl: string;
  /** Starts an IdP-initiated sign-in into `spMetadataUrl`'s service as `user`. */
  idpInitiatedUrl(spMetadataUrl: string, user: string): string;
  stop(): Promise<void>;
}

// samlify asks its caller for an XML schema validator before it parses anything. This IdP parses only
// the AuthnRequests of the service under test, which its own tests verify; so no schema check here.
samlify.setSchemaValidator({ validate: async () => "skipped" });

const html = (body: string) => `<!doctype html><html><head><meta charset="utf-8"><title>Test SAML IdP</title></head><body>${body}</body></html>`;
const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/"/g, "&quot;");

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

/**
 * `browserHost` is the host the IdP's own pages are reached at. "localhost" puts them on another site
 * than the service (127.0.0.1), so that the POST to the ACS is cross-site, as with a real IdP.
 */
export async function startSamlIdp(options: { browserHost?: string } = {}): Promise<SamlIdp> {
  const pems = await selfsigned.generate([{ name: "commonName", value: "test-saml-idp" }], {
    keySize: 2048,
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
  });
  let base = "";
  let idp: ReturnType<typeof samlify.IdentityProvider> | undefined;
  const spCache = new Map<string, ReturnType<typeof samlify.ServiceProvider>>();

  async function sp(metadataUrl: string) {
    let found = spCache.get(metadataUrl);
    if (!found) {
      const res = await fetch(metadataUrl);
      if (!res.ok) throw new Error(`SP metadata ${metadataUrl}: ${res.status}`);
      found = samlify.ServiceProvider({ metadata: await res.text() });
      spCache.set(metadataUrl, found);
    }
    return found;
  }

  /** The signed response, posted by the browser to the ACS. */
  async function respond(spMetadataUrl: string, user: string, requestInfo: any, relayState: string) {
    const target = await sp(spMetadataUrl);
    const { context, entityEndpoint } = (await idp!.createLoginResponse(target, requestInfo, "post", { email: user }, { relayState })) as {
      context: string;
      entityEndpoint: string;
    };
    return html(
      `<form id="to-sp" method="post" action="${esc(entityEndpoint)}"><input type="hidden" name="SAMLResponse" value="${esc(context)}">` +
        `<input type="hidden" name="RelayState" value="${esc(relayState)}"><noscript><button>Continue</button></noscript></form>` +
        `<script>document.getElementById("to-sp").submit()</script>`,
    );
  }

  const server: Server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? "/", base);
      if (url.pathname === "/metadata") {
        res.writeHead(200, { "Content-Type": "application/samlmetadata+xml" }).end(idp!.getMetadata());
        return;
      }
      if (url.pathname === "/sso" && req.method === "GET") {
        // SP-initiated: the AuthnRequest arrives here; the person says who they are.
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(
          html(
            `<h1>Test IdP sign-in</h1><form method="post" action="/sso/login"><input type="hidden" name="query" value="${esc(url.search)}">` +
              `<label for="user">User</label><input id="user" name="user"><button id="idp-sign-in" type="submit">Sign in</button></form>`,
          ),
        );
        return;
      }
      if (url.pathname === "/sso/login" && req.method === "POST") {
        const form = await readForm(req);
        const query = Object.fromEntries(new URLSearchParams(form.get("query") ?? ""));
        const issuer = /<saml:Issuer[^>]*>([^<]+)</.exec(await inflate(query.SAMLRequest ?? ""))?.[1] ?? "";
        const target = await sp(issuer); // our SP entity ID is its metadata URL
        const requestInfo = await idp!.parseLoginRequest(target, "redirect", { query, octetString: "" } as any);
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(await respond(issuer, form.get("user") ?? "", requestInfo, query.RelayState ?? ""));
        return;
      }
      if (url.pathname === "/idp-init" && req.method === "GET") {
        const spMetadata = url.searchParams.get("sp") ?? "";
        res.writeHead(200, { "Content-Type": "text/html; charset=utf-8" }).end(await respond(spMetadata, url.searchParams.get("user") ?? "", {}, ""));
        return;
      }
      res.writeHead(404).end("not found");
    } catch (err) {
      res.writeHead(500, { "Content-Type": "text/plain" }).end(String((err as Error).stack ?? err));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;
  const browserBase = `http://${options.browserHost ?? "127.0.0.1"}:${port}`;
  idp = samlify.IdentityProvider({
    entityID: `${base}/metadata`,
    privateKey: pems.private,
    signingCert: pems.cert,
    wantAuthnRequestsSigned: false,
    nameIDFormat: ["urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"],
    singleSignOnService: [{ Binding: samlify.Constants.namespace.binding.redirect, Location: `${browserBase}/sso` }],
  });
  return {
    metadataUrl: `${base}/metadata`,
    idpInitiatedUrl: (spMetadataUrl, user) => `${browserBase}/idp-init?sp=${encodeURIComponent(spMetadataUrl)}&user=${encodeURIComponent(user)}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

async function inflate(b64: string): Promise<string> {
  const { inflateRawSync } = await import("node:zlib");
  return inflateRawSync(Buffer.from(b64, "base64")).toString("utf8");
}

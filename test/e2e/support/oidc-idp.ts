/**
 * A real OpenID provider on 127.0.0.1 for the end-to-end test: panva's oidc-provider with its
 * development sign-in and consent pages (any login is accepted and becomes the subject and email),
 * an RS256 signing key made for the run, and one confidential client for the service under test.
 */
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as jose from "jose";
// @ts-expect-error oidc-provider ships no type declarations
import Provider from "oidc-provider";

export interface OidcIdp {
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

export async function startOidcIdp(redirectUris: string[]): Promise<OidcIdp> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const { privateKey } = await jose.generateKeyPair("RS256", { extractable: true });
  const jwk = { ...(await jose.exportJWK(privateKey)), kid: "e2e", alg: "RS256", use: "sig" };
  const clientId = "edge-scim-e2e";
  const clientSecret = randomBytes(24).toString("base64url");

  const provider = new Provider(issuer, {
    findAccount: async (_ctx: unknown, sub: string) => ({
      accountId: sub,
      claims: async () => ({ sub, email: sub, email_verified: true, preferred_username: sub }),
    }),
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["preferred_username"] },
    // Put the scope's claims into the ID token itself (the service reads identity from it).
    conformIdTokenClaims: false,
    jwks: { keys: [jwk] },
    cookies: { keys: [randomBytes(32).toString("hex")] },
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        redirect_uris: redirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
  });
  server.on("request", provider.callback());
  return {
    issuer,
    clientId,
    clientSecret,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

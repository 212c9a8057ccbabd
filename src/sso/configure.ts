/**
 * Turns what an admin sent (PUT /api/v1/orgs/{orgId}/sso) into a stored configuration: SAML metadata
 * fetched or parsed, the OIDC issuer discovered (so a typo fails now, not at someone's first sign-in)
 * and the client secret sealed under SSO_SECRET_KEY.
 */
import { MAX_METADATA_BYTES, type SsoConfig, type SsoConfigInput } from "./config";
import { startOidcSignIn, type Fetch } from "./oidc";
import { parseIdpMetadata } from "./saml-metadata";
import { sealSecret, secretKeyProblem } from "../lib/secret-box";

export type ConfigureResult =
  | { ok: true; config: SsoConfig }
  | { ok: false; status: 400 | 503; code: string; message: string; field?: string };

async function fetchMetadata(url: string, f: Fetch): Promise<{ ok: true; xml: string } | { ok: false; message: string }> {
  try {
    const res = await f(url, { headers: { Accept: "application/samlmetadata+xml, application/xml, text/xml" }, signal: AbortSignal.timeout(10_000), redirect: "manual" });
    if (!res.ok) {
      // Redirects are not followed: the admin gives the metadata's own URL.
      await res.body?.cancel();
      return { ok: false, message: `fetching the metadata answered HTTP ${res.status}` };
    }
    const xml = await res.text();
    if (xml.length > MAX_METADATA_BYTES) return { ok: false, message: `the metadata is larger than ${MAX_METADATA_BYTES} bytes` };
    return { ok: true, xml };
  } catch (err) {
    return { ok: false, message: `the metadata could not be fetched: ${(err as Error).message}` };
  }
}

export async function prepareSsoConfig(
  input: SsoConfigInput,
  ctx: { orgId: string; secretKey: string | undefined; redirectUri: string; fetch: Fetch; now: number },
): Promise<ConfigureResult> {
  if (input.type === "saml") {
    let xml = input.metadataXml;
    if (input.metadataUrl !== undefined) {
      const fetched = await fetchMetadata(input.metadataUrl, ctx.fetch);
      if (!fetched.ok) return { ok: false, status: 400, code: "metadata_unavailable", message: fetched.message, field: "metadataUrl" };
      xml = fetched.xml;
    }
    const parsed = parseIdpMetadata(xml ?? "");
    const field = input.metadataUrl !== undefined ? "metadataUrl" : "metadataXml";
    if (!parsed.ok) return { ok: false, status: 400, code: "invalid_metadata", message: parsed.problem, field };
    return {
      ok: true,
      config: { protocol: "saml", settings: { metadataUrl: input.metadataUrl ?? null, ...parsed.settings }, updatedAt: ctx.now },
    };
  }

  const keyProblem = secretKeyProblem(ctx.secretKey);
  if (keyProblem) {
    return {
      ok: false,
      status: 503,
      code: "sso_secret_key_missing",
      message:
        keyProblem === "missing"
          ? "SSO_SECRET_KEY is not set on this deployment, so a client secret cannot be stored encrypted. Set it (wrangler secret put SSO_SECRET_KEY) and retry."
          : "SSO_SECRET_KEY is shorter than 32 characters; set a longer random value and retry.",
    };
  }
  const settings = { issuer: input.issuer, clientId: input.clientId };
  const probe = await startOidcSignIn(settings, ctx.redirectUri, ctx.fetch);
  if (!probe.ok) {
    return { ok: false, status: 400, code: "issuer_discovery_failed", message: `OpenID discovery failed: ${probe.detail}`, field: "issuer" };
  }
  return {
    ok: true,
    config: {
      protocol: "oidc",
      settings,
      clientSecretEncrypted: await sealSecret(ctx.secretKey!, "sso", ctx.orgId, input.clientSecret),
      updatedAt: ctx.now,
    },
  };
}

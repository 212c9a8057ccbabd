/** Where an organization's sign-in lives on this service: the values identity providers are given. */
import { isLoopbackHost } from "../lib/origins";

export interface SpUrls {
  /** `GET`: starts an SP-initiated sign-in. */
  loginUrl: string;
  /** SAML: our entity ID. It is the metadata URL, as JumpCloud and most IdPs expect a URL there. */
  spEntityId: string;
  /** SAML: the Assertion Consumer Service (HTTP-POST binding). */
  acsUrl: string;
  metadataUrl: string;
  /** OIDC: the redirect URI registered with the provider. */
  redirectUri: string;
}

export function spUrls(origin: string, orgId: string): SpUrls {
  const base = `${origin}/sso/${encodeURIComponent(orgId)}`;
  return {
    loginUrl: `${base}/login`,
    spEntityId: `${base}/saml/metadata`,
    acsUrl: `${base}/saml/acs`,
    metadataUrl: `${base}/saml/metadata`,
    redirectUri: `${base}/oidc/callback`,
  };
}

/**
 * Identity-provider URLs must be https; plain http only to a loopback address (127.0.0.0/8, [::1],
 * localhost), which tests and local development use (there is no network path for an attacker between a process and 127.0.0.1).
 */
export function idpUrlProblem(text: string): string | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  if (url.hash) return "must not have a fragment";
  if (url.protocol === "https:") return null;
  if (url.protocol === "http:" && isLoopbackHost(url.hostname)) return null;
  return "must be https:// (http:// only for a loopback address such as 127.0.0.1)";
}


/**
 * After signing in, a browser goes only to one of our own pages: a RelayState or return path that is
 * not exactly a known path is replaced by the default, so no sign-in becomes an open redirect.
 */
export const SIGNED_IN_PATH = "/setup";

export function safeReturnPath(candidate: string | null | undefined): string {
  return candidate === SIGNED_IN_PATH ? candidate : SIGNED_IN_PATH;
}

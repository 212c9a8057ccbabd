/**
 * The service's public origin: where scimUrl, Location, meta.location, $ref and setup links point.
 *
 * A request's Host is chosen by whoever sends it, so it never decides a link on its own (issue 16):
 * - PUBLIC_ORIGIN, when set, is the origin, whatever the request was addressed to;
 * - without it, the request's origin is used only when its host is a loopback address (local
 *   development: `wrangler dev` on 127.0.0.1); any other host is refused with 421 Misdirected Request
 *   before anything is written, and a warning is logged;
 * - setup links (live credentials, also POSTed to the setup webhook) need PUBLIC_ORIGIN, on every host.
 */
import type { Context } from "hono";
import type { Env } from "../env";
import { isLoopbackHost, trimmedOrigin } from "../lib/origins";
import type { AppEnv } from "./context";

/** PUBLIC_ORIGIN without a trailing slash, or null when it is not set. */
export function configuredOrigin(env: Pick<Env, "PUBLIC_ORIGIN">): string | null {
  return trimmedOrigin(env.PUBLIC_ORIGIN);
}

export { isLoopbackHost };

/** The origin links cannot be built for: rendered by the app's onError as 421 or 503 (never 500). */
export class PublicOriginRequired extends Error {
  constructor(
    readonly status: 421 | 503,
    message: string,
  ) {
    super(message);
    this.name = "PublicOriginRequired";
  }
}

function foreignHost(host: string): PublicOriginRequired {
  console.warn(
    `edge-scim: refused a request addressed to ${JSON.stringify(host)}: PUBLIC_ORIGIN is not set, and only loopback hosts may stand in for it. Set PUBLIC_ORIGIN to the service's public URL (see docs/deploy.md, "PUBLIC_ORIGIN and a custom domain").`,
  );
  return new PublicOriginRequired(
    421,
    "This service has no PUBLIC_ORIGIN configured and does not build links for the host this request was addressed to. The operator must set PUBLIC_ORIGIN.",
  );
}

/** The public origin, or throws PublicOriginRequired (421) for a non-loopback host without PUBLIC_ORIGIN. */
export function publicOrigin(c: Context<AppEnv>): string {
  const configured = configuredOrigin(c.env);
  if (configured) return configured;
  const url = new URL(c.req.url);
  if (isLoopbackHost(url.hostname)) return url.origin;
  throw foreignHost(url.host);
}

/** The public origin, or null where publicOrigin would refuse the host (for work after the answer, e.g. a SET's issuer). */
export function publicOriginOrNull(c: Context<AppEnv>): string | null {
  try {
    return publicOrigin(c);
  } catch (e) {
    if (e instanceof PublicOriginRequired) return null;
    throw e;
  }
}

export function scimBaseUrl(c: Context<AppEnv>): string {
  return `${publicOrigin(c)}/scim/v2`;
}

/** The console's SCIM URL: like scimBaseUrl, but null (the page shows a warning) where it would throw. */
export function scimBaseUrlOrNull(c: Context<AppEnv>): string | null {
  const origin = publicOriginOrNull(c);
  return origin ? `${origin}/scim/v2` : null;
}

/**
 * The origin of setup links: PUBLIC_ORIGIN only, never the request's (a link minted on a forged Host
 * would carry a live token to that host). Null when unset; a foreign host still gets its 421.
 */
export function setupLinkOrigin(c: Context<AppEnv>): string | null {
  const configured = configuredOrigin(c.env);
  if (configured) return configured;
  publicOrigin(c); // throws 421 for a foreign host
  console.warn(
    "edge-scim: no setup link issued or sent: PUBLIC_ORIGIN is not set (setup links are never built on the request's origin).",
  );
  return null;
}

/** For routes that need a setup link: its origin, or 503 when PUBLIC_ORIGIN is not set. */
export function requireSetupLinkOrigin(c: Context<AppEnv>): string {
  const origin = setupLinkOrigin(c);
  if (origin) return origin;
  throw new PublicOriginRequired(503, "Setup links need PUBLIC_ORIGIN: set it to the service's public URL (they are never built on the request's origin).");
}

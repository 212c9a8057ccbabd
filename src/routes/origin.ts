import type { Context } from "hono";
import type { AppEnv } from "./context";

/** The public origin of the service: PUBLIC_ORIGIN when set (custom domains), else the request's. */
export function publicOrigin(c: Context<AppEnv>): string {
  const configured = c.env.PUBLIC_ORIGIN?.trim();
  if (configured) return configured.replace(/\/+$/, "");
  return new URL(c.req.url).origin;
}

export function scimBaseUrl(c: Context<AppEnv>): string {
  return `${publicOrigin(c)}/scim/v2`;
}

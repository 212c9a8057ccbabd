/**
 * The cookie that carries a person's session id (see src/setup/sessions.ts). HttpOnly, Secure and
 * SameSite=Strict; no `__Host-` prefix, so that it also works on http://127.0.0.1 in development.
 * Its path is the person's own API, so the cookie travels nowhere else.
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { SESSION_TTL_MS } from "../../setup/sessions";

/** Named like the console's cookie (edge_scim_console), and distinct from it. */
const NAME = "edge_scim_user";
const ATTRIBUTES = { path: "/api/v1/me", httpOnly: true, secure: true, sameSite: "Strict" } as const;

export function setUserSessionCookie(c: Context, sessionId: string): void {
  setCookie(c, NAME, sessionId, { ...ATTRIBUTES, maxAge: SESSION_TTL_MS / 1000 });
}

export function userSessionId(c: Context): string | undefined {
  return getCookie(c, NAME) || undefined;
}

export function clearUserSessionCookie(c: Context): void {
  deleteCookie(c, NAME, ATTRIBUTES);
}

/**
 * The console session as HTTP sees it: the cookie, and the same-origin check for cookie-authenticated
 * writes. Shared by the console pages (src/routes/console) and the admin API (operator-auth.ts).
 */
import type { Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { CONSOLE_SESSION_TTL_MS, findLiveConsoleSession } from "../auth/console-sessions";
import { adminTokenConfigured } from "../auth/operator";
import type { ConsoleSessionRow } from "../db/console-sessions";
import type { AppEnv } from "./context";
import { configuredOrigin } from "./origin";

/**
 * No `__Host-` prefix: browsers refuse such cookies on plain http, and the console must also work on
 * http://127.0.0.1 (`wrangler dev`), where Chromium does accept `Secure` cookies.
 */
export const CONSOLE_COOKIE = "edge_scim_console";

export interface CurrentSession {
  /** The plaintext id from the cookie. */
  id: string;
  row: ConsoleSessionRow;
}

/** The session named by the cookie, if it is live — and none at all while ADMIN_TOKEN is unset. */
export async function currentConsoleSession(c: Context<AppEnv>): Promise<CurrentSession | null> {
  if (!adminTokenConfigured(c.env.ADMIN_TOKEN)) return null;
  const id = getCookie(c, CONSOLE_COOKIE);
  if (!id) return null;
  const row = await findLiveConsoleSession(c.var.db, id, c.var.clock());
  return row ? { id, row } : null;
}

export function setSessionCookie(c: Context<AppEnv>, id: string): void {
  setCookie(c, CONSOLE_COOKIE, id, {
    httpOnly: true,
    secure: true,
    sameSite: "Strict",
    path: "/",
    maxAge: CONSOLE_SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(c: Context<AppEnv>): void {
  deleteCookie(c, CONSOLE_COOKIE, { httpOnly: true, secure: true, sameSite: "Strict", path: "/" });
}

/** Whether the request's `Origin` is this service (as addressed, or its configured public origin). */
export function isSameOrigin(c: Context<AppEnv>): boolean {
  const origin = c.req.header("Origin");
  if (!origin) return false;
  return origin === new URL(c.req.url).origin || origin === configuredOrigin(c.env);
}

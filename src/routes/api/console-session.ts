/**
 * Admin API: console sign-in and sign-out. Signing in needs the operator token itself (a session
 * cannot mint another session); the response sets the session cookie and carries the CSRF token.
 */
import { Hono } from "hono";
import { getCookie } from "hono/cookie";
import { endConsoleSession, startConsoleSession } from "../../auth/console-sessions";
import { isoTime } from "../../lib/clock";
import { clearSessionCookie, CONSOLE_COOKIE, setSessionCookie } from "../console-session";
import type { AppEnv } from "../context";
import { audited, credentialId } from "../audit";
import { ApiError } from "./errors";

export const consoleSessionRoutes = new Hono<AppEnv>()
  .post("/", async (c) => {
    if (c.var.operator.via !== "bearer") {
      throw ApiError.unauthorized("Sign in with the operator token (Authorization: Bearer <ADMIN_TOKEN>)");
    }
    const session = await startConsoleSession(c.var.db, c.var.clock());
    await audited(c, { action: "console.signed_in", target: { type: "console_session", id: await credentialId(session.id) } });
    setSessionCookie(c, session.id);
    return c.json({ csrfToken: session.csrfToken, expiresAt: isoTime(session.expiresAt) }, 201);
  })
  .delete("/", async (c) => {
    const id = c.var.operator.via === "console" ? c.var.operator.sessionId : getCookie(c, CONSOLE_COOKIE);
    if (id) {
      await endConsoleSession(c.var.db, id);
      await audited(c, { action: "console.signed_out", target: { type: "console_session", id: await credentialId(id) } });
    }
    clearSessionCookie(c);
    return c.body(null, 204);
  });

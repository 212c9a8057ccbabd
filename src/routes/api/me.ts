/**
 * The person's own API under /api/v1/me, authenticated by their session cookie (started when they
 * completed setup). Read-only, so no CSRF token is needed: SameSite=Strict keeps the cookie off
 * cross-site requests, and without CORS headers no other origin can read an answer.
 */
import { Hono, type Context } from "hono";
import { isoTime } from "../../lib/clock";
import { authenticateSession } from "../../setup/sessions";
import type { AppEnv } from "../context";
import { ApiError } from "./errors";
import { clearUserSessionCookie, userSessionId } from "./user-session-cookie";

/** A refusal that also drops the browser's cookie, which no longer opens anything. */
function refuse(c: Context, error: ApiError): Response {
  clearUserSessionCookie(c);
  return c.json(error.toBody(), error.status);
}

export const meRoutes = new Hono<AppEnv>().get("/keys", async (c) => {
  c.header("Cache-Control", "no-store");
  const sessionId = userSessionId(c);
  if (!sessionId) throw new ApiError(401, "no_session", "No session: open your setup link to finish setup first");
  const check = await authenticateSession(c.var.db, sessionId, c.var.clock());
  switch (check.kind) {
    case "unknown":
      return refuse(c, new ApiError(401, "no_session", "Your session is not valid or has ended"));
    case "expired":
      return refuse(c, new ApiError(401, "session_expired", "Your session has expired"));
    case "deactivated":
      return refuse(c, new ApiError(403, "user_deactivated", "This account is deactivated; its keys cannot be read"));
  }
  const { session } = check;
  if (!session.keys) throw ApiError.notFound("Key bundle");
  return c.json({
    userId: session.userId,
    userName: session.userName,
    publicKey: session.keys.publicKey,
    encryptedPrivateKey: session.keys.encryptedPrivateKey,
    iv: session.keys.iv,
    salt: session.keys.salt,
    kdf: JSON.parse(session.keys.kdf) as unknown,
    createdAt: isoTime(session.keys.createdAt),
  });
});

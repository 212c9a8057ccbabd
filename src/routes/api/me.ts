/**
 * The person's own API under /api/v1/me, authenticated by their session cookie (started when they
 * completed setup). Read-only, so no CSRF token is needed: SameSite=Strict keeps the cookie off
 * cross-site requests, and without CORS headers no other origin can read an answer.
 */
import { handOffAfterResponse } from "../middleware/event-hand-off";
import { scimBaseUrl } from "../origin";
import { Hono, type Context } from "hono";
import { isoTime } from "../../lib/clock";
import { bodyLimit } from "hono/body-limit";
import { completeSetupInSession } from "../../setup/complete";
import { keyBundleSchema, publicKeyProblem } from "../../setup/key-bundle";
import { authenticateSession, endSession } from "../../setup/sessions";
import { validate } from "./validate";
import type { AppEnv } from "../context";
import { ApiError } from "./errors";
import { clearUserSessionCookie, userSessionId } from "./user-session-cookie";

/** A refusal that also drops the browser's cookie, which no longer opens anything. */
function refuse(c: Context, error: ApiError): Response {
  clearUserSessionCookie(c);
  return c.json(error.toBody(), error.status);
}

/** The session's person, or the response refusing the request. */
async function signedIn(c: Context<AppEnv>) {
  const sessionId = userSessionId(c);
  if (!sessionId) return { refused: refuse(c, new ApiError(401, "no_session", "You are not signed in")) };
  const check = await authenticateSession(c.var.db, sessionId, c.var.clock());
  switch (check.kind) {
    case "ok":
      return { session: check.session };
    case "deactivated":
      return { refused: refuse(c, new ApiError(403, "user_deactivated", "This account is deactivated")) };
    case "expired":
      return { refused: refuse(c, new ApiError(401, "session_expired", "Your session has expired")) };
    default:
      return { refused: refuse(c, new ApiError(401, "no_session", "Your session is not valid or has ended")) };
  }
}

export const meRoutes = new Hono<AppEnv>()
  /**
   * Setup inside a session started by single sign-on: the same bundle rules as a setup link. A JSON
   * body forces a CORS preflight, and the cookie is SameSite=Strict, so no other site can post it.
   */
  .put(
    "/keys",
    bodyLimit({
      maxSize: 32 * 1024,
      onError: () => {
        throw new ApiError(413, "payload_too_large", "The request body is too large");
      },
    }),
    validate("json", keyBundleSchema),
    async (c) => {
      c.header("Cache-Control", "no-store");
      const who = await signedIn(c);
      if (who.refused) return who.refused;
      const bundle = c.req.valid("json");
      const problem = await publicKeyProblem(bundle.publicKey);
      if (problem) throw ApiError.badRequest(`publicKey: ${problem}`, "publicKey");
      const { session } = who;
      const result = await completeSetupInSession(
        c.var.db,
        session.orgId,
        session.userId,
        { ...bundle, kdf: JSON.stringify(bundle.kdf) },
        c.var.clock(),
        scimBaseUrl(c),
      );
      if (!result.ok) throw new ApiError(409, "setup_complete", "Your key already exists; unlock it instead of creating a new one");
      handOffAfterResponse(c, session.orgId);
      return c.json({ userId: session.userId, userName: session.userName, setupState: "complete" as const });
    },
  )
  /** Sign-out: the session ends on the server, and the cookie is dropped. */
  .post("/sign-out", async (c) => {
    const sessionId = userSessionId(c);
    if (sessionId) await endSession(c.var.db, sessionId);
    clearUserSessionCookie(c);
    return c.body(null, 204);
  })
  .get("/keys", async (c) => {
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
  if (!session.keys) {
    // Signed in through single sign-on but not set up yet: the setup page offers to create the key.
    return c.json(new ApiError(404, "setup_pending", "Create your key first: your account setup is not complete").toBody(), 404);
  }
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

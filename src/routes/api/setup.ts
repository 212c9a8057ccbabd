/**
 * The person's side of setup: `POST /api/v1/setup/complete`, authenticated by the setup link's token
 * (`Authorization: Bearer <token>`), never by an operator credential.
 */
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { bearerToken } from "../../auth/operator";
import { isoTime } from "../../lib/clock";
import { completeSetup, type LinkRefusal } from "../../setup/complete";
import { keyBundleSchema, publicKeyProblem } from "../../setup/key-bundle";
import type { AppEnv } from "../context";
import { ApiError } from "./errors";
import { setUserSessionCookie } from "./user-session-cookie";
import { validate } from "./validate";

const MAX_BODY_BYTES = 32 * 1024;

/** The messages the setup page shows as they are, so they speak to the person holding the link. */
function refusalError(refusal: LinkRefusal): ApiError {
  const askAdmin = "Ask your administrator for a new setup link.";
  switch (refusal) {
    case "unknown":
      return new ApiError(401, "invalid_link", `This setup link is not valid; check that you opened the whole link. ${askAdmin}`);
    case "used":
      return new ApiError(410, "link_used", `This setup link has already been used. ${askAdmin}`);
    case "expired":
      return new ApiError(410, "link_expired", `This setup link has expired. ${askAdmin}`);
    case "superseded":
      return new ApiError(410, "link_superseded", "This setup link was replaced by a newer one; use the most recent link you received.");
    case "complete":
      return new ApiError(410, "setup_complete", "Setup of this account is already complete; this link no longer works.");
    case "deactivated":
      return new ApiError(403, "user_deactivated", "This account is deactivated, so its setup cannot be completed. Contact your administrator.");
  }
}

export const setupRoutes = new Hono<AppEnv>().post(
  "/complete",
  bodyLimit({
    maxSize: MAX_BODY_BYTES,
    onError: () => {
      throw new ApiError(413, "payload_too_large", `The request body exceeds ${MAX_BODY_BYTES} bytes`);
    },
  }),
  validate("json", keyBundleSchema),
  async (c) => {
    const token = bearerToken(c.req.header("Authorization"));
    if (!token) throw new ApiError(401, "invalid_link", "Send the setup link's token as 'Authorization: Bearer <token>'");
    const bundle = c.req.valid("json");
    const problem = await publicKeyProblem(bundle.publicKey);
    if (problem) throw ApiError.badRequest(`publicKey: ${problem}`, "publicKey");

    const result = await completeSetup(c.var.db, token, { ...bundle, kdf: JSON.stringify(bundle.kdf) }, c.var.clock());
    if (!result.ok) throw refusalError(result.refusal);
    setUserSessionCookie(c, result.sessionId);
    c.header("Cache-Control", "no-store");
    return c.json({
      userId: result.userId,
      userName: result.userName,
      setupState: "complete" as const,
      sessionExpiresAt: isoTime(result.sessionExpiresAt),
    });
  },
);

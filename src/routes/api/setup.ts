/**
 * The person's side of setup, authenticated by the setup link's token, never by an operator
 * credential: `POST /api/v1/setup/check` (the token in the JSON body, never in the URL: says whether
 * the link still works, without using it) and `POST /api/v1/setup/complete` (`Authorization: Bearer
 * <token>`).
 */
import { handOffAfterResponse } from "../middleware/event-hand-off";
import { scimBaseUrl } from "../origin";
import { Hono } from "hono";
import { bodyLimit } from "hono/body-limit";
import { bearerToken } from "../../auth/operator";
import { isoTime } from "../../lib/clock";
import { z } from "zod";
import { checkSetupLink } from "../../setup/check";
import { completeSetup, type LinkRefusal } from "../../setup/complete";
import { keyBundleSchema, publicKeyProblem } from "../../setup/key-bundle";
import type { AppEnv } from "../context";
import { ApiError } from "./errors";
import { setUserSessionCookie } from "./user-session-cookie";
import { validate } from "./validate";

const MAX_BODY_BYTES = 32 * 1024;

/** A used link: if the person did not use it themselves, someone else may have. */
export const USED_MESSAGE =
  "This setup link has already been used. If you did not finish setup with it yourself, someone else may have: " +
  "tell your administrator now. They can reset your setup, which removes the key made with this link, and send you a new link.";

/** The messages the setup page shows as they are, so they speak to the person holding the link. */
function refusalError(refusal: LinkRefusal): ApiError {
  const askAdmin = "Ask your administrator for a new setup link.";
  switch (refusal) {
    case "unknown":
      return new ApiError(401, "invalid_link", `This setup link is not valid; check that you opened the whole link. ${askAdmin}`);
    case "used":
      return new ApiError(410, "link_used", USED_MESSAGE);
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

/** A token is `setup_` and 43 base64url characters; anything much longer is not one. */
const checkBody = z.object({ token: z.string().min(1).max(200) });

export const setupRoutes = new Hono<AppEnv>()
  .post(
    "/check",
    bodyLimit({
      maxSize: 1024,
      onError: () => {
        throw new ApiError(413, "payload_too_large", "The request body exceeds 1024 bytes");
      },
    }),
    validate("json", checkBody),
    async (c) => {
      const check = await checkSetupLink(c.var.db, c.req.valid("json").token, c.var.clock());
      const message = check.state === "valid" ? null : refusalError(check.state).message;
      return c.json({ state: check.state, orgName: check.orgName, message });
    },
  )
  .post(
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

    const result = await completeSetup(c.var.db, token, { ...bundle, kdf: JSON.stringify(bundle.kdf) }, c.var.clock(), scimBaseUrl(c));
    if (!result.ok) throw refusalError(result.refusal);
    handOffAfterResponse(c, result.orgId);
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

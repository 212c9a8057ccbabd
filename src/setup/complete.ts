/**
 * Finishing setup: a person's browser presents its setup link's token with the key bundle it made.
 * The link is consumed exactly once, also under a double submit; consuming it stores the bundle,
 * marks the user's setup complete and starts their browser session, all in one atomic batch.
 */
import { completionStatements, findLinkByHash, sessionCompletionStatements, type KeyBundle, type SetupLinkWithUser } from "../db/account-setup";
import type { Db } from "../db/client";
import { findUser } from "../db/users";
import { userSetupEvent } from "../events/model";
import { newId, randomSecret, sha256Hex } from "../lib/crypto";
import { SESSION_TTL_MS } from "./sessions";

export type LinkRefusal = "unknown" | "used" | "deactivated" | "superseded" | "expired" | "complete";

export type CompletionResult =
  | { ok: true; orgId: string; userId: string; userName: string; sessionId: string; sessionExpiresAt: number }
  | { ok: false; refusal: LinkRefusal };

/** Why the link cannot finish setup now, or null when it can. */
export function refusalOf(
  link: Pick<SetupLinkWithUser, "usedAt" | "active" | "supersededAt" | "expiresAt" | "setupState"> | undefined,
  now: number,
): LinkRefusal | null {
  if (!link) return "unknown";
  if (link.usedAt != null) return "used";
  if (!link.active) return "deactivated";
  if (link.supersededAt != null) return "superseded";
  if (link.expiresAt <= now) return "expired";
  if (link.setupState === "complete") return "complete";
  return null;
}

/**
 * The user.setup_completed event: the user as SCIM renders it (`baseUrl` is the SCIM base URL), read
 * before the batch that stores the event only if it completes setup.
 */
async function completedEvent(db: Db, orgId: string, userId: string, baseUrl: string) {
  const user = await findUser(db, orgId, userId);
  return user ? userSetupEvent("user.setup_completed", user, baseUrl) : undefined;
}

export async function completeSetup(db: Db, token: string, bundle: KeyBundle, now: number, baseUrl: string): Promise<CompletionResult> {
  const tokenHash = await sha256Hex(token);
  const link = await findLinkByHash(db, tokenHash);
  const refusal = refusalOf(link, now);
  if (refusal || !link) return { ok: false, refusal: refusal ?? "unknown" };
  const event = await completedEvent(db, link.orgId, link.userId, baseUrl);
  if (!event) return { ok: false, refusal: "unknown" };

  const sessionId = randomSecret(32);
  const session = { idHash: await sha256Hex(sessionId), expiresAt: now + SESSION_TTL_MS };
  const [consumed] = await db.batch(completionStatements(db, { link, marker: newId(), now, bundle, session }, event));
  if (consumed.length === 0) {
    // Another request consumed the link, or the user changed, between the read and the batch.
    return { ok: false, refusal: refusalOf(await findLinkByHash(db, tokenHash), now) ?? "used" };
  }
  return { ok: true, orgId: link.orgId, userId: link.userId, userName: link.userName, sessionId, sessionExpiresAt: session.expiresAt };
}

/**
 * Finishing setup in a session started by single sign-on: the session is the credential, so no link
 * is consumed; the bundle is stored only while the user is active and still pending.
 */
export async function completeSetupInSession(db: Db, orgId: string, userId: string, bundle: KeyBundle, now: number, baseUrl: string) {
  const event = await completedEvent(db, orgId, userId, baseUrl);
  if (!event) return { ok: false };
  const [stored] = await db.batch(sessionCompletionStatements(db, { orgId, userId, now, bundle }, event));
  return { ok: stored.length > 0 };
}

/**
 * Browser sessions of people who finished setup. The session id is a 256-bit random secret held in an
 * HttpOnly cookie; only its SHA-256 is stored. A session lasts at most 12 hours, and a deactivated
 * user's sessions end at their next request.
 */
import { deleteSession, deleteSessionsOfUser, findSession, insertSessionForActiveUser } from "../db/account-setup";
import type { Db } from "../db/client";
import { randomSecret, sha256Hex } from "../lib/crypto";

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;

export type Session = NonNullable<Awaited<ReturnType<typeof findSession>>>;

export type SessionCheck =
  | { kind: "ok"; session: Session }
  /** No such session: never started, ended, or its user was deleted. */
  | { kind: "unknown" }
  | { kind: "expired" }
  | { kind: "deactivated" };

export async function authenticateSession(db: Db, sessionId: string, now: number): Promise<SessionCheck> {
  const idHash = await sha256Hex(sessionId);
  const session = await findSession(db, idHash);
  if (!session) return { kind: "unknown" };
  if (session.expiresAt <= now) {
    await deleteSession(db, idHash);
    return { kind: "expired" };
  }
  if (!session.active) {
    await deleteSessionsOfUser(db, session.userId);
    return { kind: "deactivated" };
  }
  return { kind: "ok", session };
}

/** Starts a browser session for an active user (after single sign-on); null if they are not active. */
export async function startSession(db: Db, orgId: string, userId: string, now: number) {
  const sessionId = randomSecret(32);
  const expiresAt = now + SESSION_TTL_MS;
  const started = await insertSessionForActiveUser(db, { idHash: await sha256Hex(sessionId), orgId, userId, now, expiresAt });
  return started ? { sessionId, expiresAt } : null;
}

/** Ends the session (sign-out). */
export async function endSession(db: Db, sessionId: string): Promise<void> {
  await deleteSession(db, await sha256Hex(sessionId));
}

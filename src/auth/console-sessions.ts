/**
 * Operator console sessions. Signing in with the operator token creates one: a random 256-bit id
 * that lives only in the browser's cookie, stored here as its SHA-256 — never the operator token.
 *
 * CSRF: the token a console page sends in `X-CSRF-Token` is derived from the session id,
 * HMAC-SHA-256(session id, CSRF_CONTEXT). Deriving it lets every server-rendered page embed it
 * without storing a second plaintext secret, and it reveals nothing about the session id (the HMAC
 * is one-way), so a script that reads it from the page cannot take over the cookie. Its SHA-256 is
 * kept in `csrf_hash`, and requests are checked against that stored value, so a token is bound to
 * one session row and dies with it at sign-out or expiry.
 */
import {
  deleteConsoleSession,
  findConsoleSession,
  insertConsoleSession,
  type ConsoleSessionRow,
} from "../db/console-sessions";
import type { Db } from "../db/client";
import { hmacSha256Hex, randomSecret, secretsEqual, sha256Hex } from "../lib/crypto";

export const CONSOLE_SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const CSRF_CONTEXT = "edge-scim console CSRF v1";
const SESSION_ID_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface StartedSession {
  /** The cookie value; returned once and never stored. */
  id: string;
  csrfToken: string;
  expiresAt: number;
}

export function csrfTokenFor(sessionId: string): Promise<string> {
  return hmacSha256Hex(sessionId, CSRF_CONTEXT);
}

export async function startConsoleSession(db: Db, now: number): Promise<StartedSession> {
  const id = randomSecret(32);
  const csrfToken = await csrfTokenFor(id);
  const expiresAt = now + CONSOLE_SESSION_TTL_MS;
  await insertConsoleSession(db, {
    idHash: await sha256Hex(id),
    csrfHash: await sha256Hex(csrfToken),
    createdAt: now,
    expiresAt,
  });
  return { id, csrfToken, expiresAt };
}

/** The live session with this id, or null (unknown, malformed, or expired). */
export async function findLiveConsoleSession(db: Db, id: string, now: number): Promise<ConsoleSessionRow | null> {
  if (!SESSION_ID_PATTERN.test(id)) return null;
  const row = await findConsoleSession(db, await sha256Hex(id));
  if (!row || row.expiresAt <= now) return null;
  return row;
}

export async function csrfTokenMatches(session: ConsoleSessionRow, presented: string | undefined): Promise<boolean> {
  if (!presented) return false;
  return secretsEqual(await sha256Hex(presented), session.csrfHash);
}

export async function endConsoleSession(db: Db, id: string): Promise<void> {
  await deleteConsoleSession(db, await sha256Hex(id));
}

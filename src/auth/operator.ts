/** The operator credential: the Worker secret ADMIN_TOKEN, presented as a bearer token. */
import { secretsEqual } from "../lib/crypto";

export const MIN_ADMIN_TOKEN_LENGTH = 32;

export type OperatorCheck = "ok" | "not_configured" | "invalid";

/**
 * Fails closed: with no ADMIN_TOKEN, or one too short to be a real secret, nothing is accepted —
 * neither the token nor the console sessions it opened.
 */
export function adminTokenConfigured(configured: string | undefined): configured is string {
  return !!configured && configured.length >= MIN_ADMIN_TOKEN_LENGTH;
}

export async function checkAdminToken(configured: string | undefined, presented: string | null): Promise<OperatorCheck> {
  if (!adminTokenConfigured(configured)) return "not_configured";
  if (!presented) return "invalid";
  return (await secretsEqual(presented, configured)) ? "ok" : "invalid";
}

/** The token of an `Authorization: Bearer <token>` header (scheme case-insensitive), or null. */
export function bearerToken(header: string | undefined | null): string | null {
  if (!header) return null;
  const match = /^Bearer[ \t]+(\S+)[ \t]*$/i.exec(header);
  return match ? match[1] : null;
}

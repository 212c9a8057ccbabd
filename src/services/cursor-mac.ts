/**
 * The deployment's cursor secret (`CURSOR_SECRET`) as the MAC that binds RFC 9865 cursors
 * (src/scim/cursor). Without a secret of at least 32 characters there is no MAC, and cursor paging is
 * unavailable: a forgeable cursor would let a client choose where a query starts.
 */
import { hmacSha256Base64url, hmacSha256Verify } from "../lib/crypto";
import type { CursorMac } from "../scim/cursor";

export const MIN_CURSOR_SECRET_LENGTH = 32;

export function cursorMac(secret: string | undefined): CursorMac | undefined {
  if (!secret || secret.length < MIN_CURSOR_SECRET_LENGTH) return undefined;
  return {
    sign: (message) => hmacSha256Base64url(secret, message),
    verify: (message, mac) => hmacSha256Verify(secret, message, mac),
  };
}

/**
 * Secrets the service must use again later (an OIDC client secret) are stored encrypted: AES-GCM
 * under a key derived (HKDF-SHA-256) from the SSO_SECRET_KEY deployment secret, bound to the org, so
 * a database dump alone reveals nothing and a ciphertext copied to another org does not decrypt.
 *
 * Without the deployment secret nothing is encrypted or decrypted: callers get a result saying so.
 */
import { base64url, fromBase64url } from "../lib/crypto";

/** A key shorter than this is a configuration mistake, refused like a missing one. */
export const MIN_SECRET_KEY_CHARS = 32;
const VERSION = "v1";
const encoder = new TextEncoder();

export type SecretKeyProblem = "missing" | "too_short";

export function secretKeyProblem(secretKey: string | undefined): SecretKeyProblem | null {
  if (!secretKey) return "missing";
  if (secretKey.length < MIN_SECRET_KEY_CHARS) return "too_short";
  return null;
}

async function aesKey(secretKey: string, orgId: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secretKey), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode("edge-scim sso secret"), info: encoder.encode(`org:${orgId}`) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

export async function sealSecret(secretKey: string, orgId: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(secretKey, orgId), encoder.encode(plaintext));
  return `${VERSION}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

/** The plaintext, or null when the ciphertext is malformed or was sealed under another key or org. */
export async function openSecret(secretKey: string, orgId: string, sealed: string): Promise<string | null> {
  const [version, ivText, dataText] = sealed.split(".");
  const iv = fromBase64url(ivText ?? "");
  const data = fromBase64url(dataText ?? "");
  if (version !== VERSION || !iv || iv.length !== 12 || !data) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv }, await aesKey(secretKey, orgId), data);
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

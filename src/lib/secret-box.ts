/**
 * Secrets the service must use again later (an OIDC client secret, a webhook's signing secret) are
 * stored encrypted: AES-GCM under a key derived (HKDF-SHA-256) from a deployment secret
 * (SSO_SECRET_KEY, WEBHOOK_SECRET_KEY), separated by purpose (the HKDF salt) and bound to the org
 * (the HKDF info), so a database dump alone reveals nothing, a ciphertext copied to another org
 * does not decrypt, and one purpose's key never opens another's.
 *
 * Without the deployment secret nothing is encrypted or decrypted: callers get a result saying so.
 */
import { base64url, fromBase64url } from "./crypto";

/** What a sealed secret is for: each purpose derives its own keys. */
export type SecretPurpose = "sso" | "webhook";

const SALTS: Record<SecretPurpose, string> = {
  // The SSO salt predates the other purposes; changing it would orphan every stored client secret.
  sso: "edge-scim sso secret",
  webhook: "edge-scim webhook secret",
};

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

async function aesKey(secretKey: string, purpose: SecretPurpose, orgId: string): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey("raw", encoder.encode(secretKey), "HKDF", false, ["deriveKey"]);
  return crypto.subtle.deriveKey(
    { name: "HKDF", hash: "SHA-256", salt: encoder.encode(SALTS[purpose]), info: encoder.encode(`org:${orgId}`) },
    material,
    { name: "AES-GCM", length: 256 },
    false,
    ["encrypt", "decrypt"],
  );
}

export async function sealSecret(secretKey: string, purpose: SecretPurpose, orgId: string, plaintext: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const sealed = await crypto.subtle.encrypt({ name: "AES-GCM", iv }, await aesKey(secretKey, purpose, orgId), encoder.encode(plaintext));
  return `${VERSION}.${base64url(iv)}.${base64url(new Uint8Array(sealed))}`;
}

/** The plaintext, or null when the ciphertext is malformed or was sealed under another key or org. */
export async function openSecret(secretKey: string, purpose: SecretPurpose, orgId: string, sealed: string): Promise<string | null> {
  const [version, ivText, dataText] = sealed.split(".");
  const iv = fromBase64url(ivText ?? "");
  const data = fromBase64url(dataText ?? "");
  if (version !== VERSION || !iv || iv.length !== 12 || !data) return null;
  try {
    const plain = await crypto.subtle.decrypt({ name: "AES-GCM", iv }, await aesKey(secretKey, purpose, orgId), data);
    return new TextDecoder().decode(plain);
  } catch {
    return null;
  }
}

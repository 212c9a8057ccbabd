/**
 * What a browser may store as a person's key bundle, checked strictly: the service cannot decrypt the
 * bundle, so the least it can do is refuse weak parameters and malformed keys before storing them.
 */
import { z } from "zod";
import { fromBase64url } from "../lib/crypto";

export const MIN_PBKDF2_ITERATIONS = 600_000;
/** Above this, unlocking would freeze the person's browser for minutes. */
export const MAX_PBKDF2_ITERATIONS = 10_000_000;
export const IV_BYTES = 12;
export const MIN_SALT_BYTES = 16;
const MAX_SALT_BYTES = 256;
/** AES-GCM appends a 16-byte tag, so a ciphertext of a real key is longer than that. */
const GCM_TAG_BYTES = 16;
/** Room for a PKCS#8 RSA-8192 private key; far above P-256 (138 bytes) and X25519 (48 bytes). */
const MAX_ENCRYPTED_KEY_BYTES = 8192;
const MIN_RSA_MODULUS_BITS = 3072;

function base64urlBytes(rule: { min: number; max: number }, what: string) {
  // base64url takes 4 characters per 3 bytes; the character cap keeps huge strings from being decoded.
  return z
    .string()
    .max(Math.ceil((rule.max * 4) / 3), `must be at most ${rule.max} bytes`)
    .superRefine((text, ctx) => {
      const bytes = fromBase64url(text);
      if (!bytes) {
        ctx.addIssue({ code: "custom", message: "must be base64url (A–Z, a–z, 0–9, '-', '_', no padding)" });
      } else if (bytes.length < rule.min || bytes.length > rule.max) {
        const size = rule.min === rule.max ? `exactly ${rule.min}` : `${rule.min} to ${rule.max}`;
        ctx.addIssue({ code: "custom", message: `must be ${what} of ${size} bytes, got ${bytes.length}` });
      }
    });
}

export const keyBundleSchema = z.strictObject({
  publicKey: base64urlBytes({ min: 1, max: 2048 }, "an SPKI public key"),
  encryptedPrivateKey: base64urlBytes(
    { min: GCM_TAG_BYTES + 1, max: MAX_ENCRYPTED_KEY_BYTES },
    "an AES-GCM ciphertext (with its tag)",
  ),
  iv: base64urlBytes({ min: IV_BYTES, max: IV_BYTES }, "an AES-GCM IV"),
  salt: base64urlBytes({ min: MIN_SALT_BYTES, max: MAX_SALT_BYTES }, "a salt"),
  kdf: z.strictObject({
    name: z.literal("PBKDF2"),
    hash: z.literal("SHA-256"),
    iterations: z.number().int().min(MIN_PBKDF2_ITERATIONS).max(MAX_PBKDF2_ITERATIONS),
  }),
});

export type KeyBundleInput = z.infer<typeof keyBundleSchema>;

/** Encryption key types a bundle may hold, as WebCrypto imports them. */
const PUBLIC_KEY_ALGORITHMS: SubtleCryptoImportKeyAlgorithm[] = [
  { name: "ECDH", namedCurve: "P-256" },
  { name: "X25519" },
  { name: "RSA-OAEP", hash: "SHA-256" },
];

/** SubjectPublicKeyInfo of an X25519 key (RFC 8410): this DER prefix, then the 32-byte key. */
const X25519_SPKI_PREFIX = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x03, 0x21, 0x00];

function isX25519Spki(spki: Uint8Array): boolean {
  return spki.length === X25519_SPKI_PREFIX.length + 32 && X25519_SPKI_PREFIX.every((b, i) => spki[i] === b);
}

/**
 * Why `publicKey` (base64url SPKI, already size-checked) is not an acceptable encryption key, or null
 * when it is: it must import as ECDH P-256, X25519 or RSA-OAEP with a modulus of at least 3072 bits.
 */
export async function publicKeyProblem(publicKey: string): Promise<string | null> {
  const spki = fromBase64url(publicKey);
  if (!spki) return "must be base64url";
  for (const algorithm of PUBLIC_KEY_ALGORITHMS) {
    // workerd imports any SPKI as X25519 (e.g. a P-384 or RSA key), so that one is recognised by its DER.
    if (algorithm.name === "X25519" && !isX25519Spki(spki)) continue;
    let key: CryptoKey;
    try {
      key = await crypto.subtle.importKey("spki", spki, algorithm, true, []);
    } catch {
      continue;
    }
    if (algorithm.name === "RSA-OAEP") {
      const bits = (key.algorithm as CryptoKeyRsaKeyAlgorithm).modulusLength;
      if (bits < MIN_RSA_MODULUS_BITS) return `must be an RSA key of at least ${MIN_RSA_MODULUS_BITS} bits, got ${bits}`;
    }
    return null;
  }
  return "must be an SPKI encryption public key: ECDH P-256, X25519 or RSA-OAEP of at least 3072 bits";
}

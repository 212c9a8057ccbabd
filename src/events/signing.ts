/**
 * How a delivery proves where it comes from.
 *
 * `json` endpoints: the Standard Webhooks convention (https://www.standardwebhooks.com): headers
 * `webhook-id` (the event id), `webhook-timestamp` (Unix seconds of the attempt) and
 * `webhook-signature: v1,<base64 HMAC-SHA256 of "{id}.{timestamp}.{body}">`, keyed with the bytes the
 * `whsec_<base64>` secret encodes.
 *
 * `set` endpoints: the same secret's bytes are the HS256 key of the Security Event Token (src/events/set.ts).
 */

const encoder = new TextEncoder();
const SECRET_PREFIX = "whsec_";
/** 32 random bytes: the HMAC-SHA256 block's worth of key, and the Standard Webhooks libraries' default size. */
const SECRET_BYTES = 32;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** A new endpoint secret in its `whsec_<base64>` form. */
export function newWebhookSecret(): string {
  return `${SECRET_PREFIX}${toBase64(crypto.getRandomValues(new Uint8Array(SECRET_BYTES)))}`;
}

/** The key bytes of a `whsec_` secret. */
export function secretKeyBytes(secret: string): Uint8Array {
  const encoded = secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret;
  const binary = atob(encoded);
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}

/** The `webhook-signature` header value for one attempt. */
export async function standardWebhookSignature(secret: string, id: string, timestamp: number, body: string): Promise<string> {
  const key = await crypto.subtle.importKey("raw", secretKeyBytes(secret), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  const mac = await crypto.subtle.sign("HMAC", key, encoder.encode(`${id}.${timestamp}.${body}`));
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/** The three headers of a Standard Webhooks delivery. */
export async function standardWebhookHeaders(secret: string, id: string, timestampSeconds: number, body: string): Promise<Record<string, string>> {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestampSeconds),
    "webhook-signature": await standardWebhookSignature(secret, id, timestampSeconds, body),
  };
}

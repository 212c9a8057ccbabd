/**
 * The setup webhook: when SETUP_WEBHOOK_URL is set, every newly issued setup link is POSTed there
 * (for a mailer or chat bot to deliver), signed with HMAC-SHA256 under SETUP_WEBHOOK_SECRET.
 *
 * It always runs after the response (ctx.waitUntil) and never fails the request that triggered it.
 * The payload carries a live setup link, so it is never logged.
 */
import type { Env } from "../env";
import { hmacSha256Hex } from "../lib/crypto";

export interface SetupWebhookPayload {
  orgId: string;
  userId: string;
  userName: string;
  emails: { value: string; type?: string; primary?: boolean }[];
  url: string;
  expiresAt: string;
}

const TIMEOUT_MS = 10_000;

export interface WebhookTarget {
  url: string;
  secret: string;
}

/** Where to send setup links, or null when no webhook is configured (then no link is minted unasked). */
export function setupWebhook(env: Env): WebhookTarget | null {
  const url = env.SETUP_WEBHOOK_URL?.trim();
  if (!url) return null;
  if (!env.SETUP_WEBHOOK_SECRET) {
    // An unsigned link would be accepted by nobody careful; say why nothing arrives.
    console.error("setup webhook not sent: SETUP_WEBHOOK_URL is set but SETUP_WEBHOOK_SECRET is not");
    return null;
  }
  return { url, secret: env.SETUP_WEBHOOK_SECRET };
}

/** `sha256=<hex HMAC-SHA256(secret, body)>`, the X-Signature a receiver recomputes over the raw body. */
export async function webhookSignature(secret: string, body: string): Promise<string> {
  return `sha256=${await hmacSha256Hex(secret, body)}`;
}

export async function postSetupWebhook(target: WebhookTarget, payload: SetupWebhookPayload): Promise<void> {
  const body = JSON.stringify(payload);
  try {
    const response = await fetch(target.url, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-Signature": await webhookSignature(target.secret, body) },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    await response.body?.cancel();
    if (!response.ok) console.error(`setup webhook for user ${payload.userId} answered HTTP ${response.status}`);
  } catch (err) {
    console.error(`setup webhook for user ${payload.userId} failed: ${(err as Error).name}: ${(err as Error).message}`);
  }
}

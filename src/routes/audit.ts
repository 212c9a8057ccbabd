/**
 * The HTTP side of the audit trail (rows: src/db/audit.ts): who did it, as the request shows it.
 * Admin routes call `audited` after a write succeeded and before they answer, so a 2xx means the
 * trail has it; a refused request (400, 404, 409, …) never gets here and leaves no trace.
 *
 * The actor is the credential, named by a stable id that leads nowhere: the first 12 hex digits of
 * the SHA-256 of the operator token, or of the console session id (which is also what the stored
 * session row's hash starts with). Plus the client's IP (CF-Connecting-IP) and User-Agent.
 */
import type { Context } from "hono";
import { insertAuditEntry } from "../db/audit";
import { sha256Hex } from "../lib/crypto";
import type { AppEnv } from "./context";

export type AuditAction =
  | "org.created"
  | "scim.enabled"
  | "scim.disabled"
  | "token.created"
  | "token.rotated"
  | "token.revoked"
  | "setup_link.issued"
  | "setup.reset"
  | "rate_limit.changed"
  | "user_name_keys.recomputed"
  | "console.signed_in"
  | "console.signed_out"
  | "webhook.created"
  | "webhook.deleted"
  | "webhook.secret_rotated"
  | "webhook.tested"
  | "event.redelivered";

export type AuditTargetType = "org" | "scim_token" | "user" | "console_session" | "service" | "webhook" | "event";

export interface AuditEvent {
  action: AuditAction;
  orgId?: string | null;
  target: { type: AuditTargetType; id: string };
  /** Non-secret particulars only. */
  detail?: Record<string, unknown>;
}

const ID_LENGTH = 12;
const MAX_USER_AGENT = 200;

/** The non-secret id of a credential: a prefix of its SHA-256. */
export async function credentialId(secret: string): Promise<string> {
  return (await sha256Hex(secret)).slice(0, ID_LENGTH);
}

async function actor(c: Context<AppEnv>) {
  const operator = c.var.operator;
  const viaConsole = operator?.via === "console";
  return {
    actorKind: viaConsole ? "console_session" : "operator_token",
    actorId: await credentialId(viaConsole ? operator.sessionId : (c.env.ADMIN_TOKEN ?? "")),
    ip: c.req.header("CF-Connecting-IP") ?? null,
    userAgent: c.req.header("User-Agent")?.slice(0, MAX_USER_AGENT) ?? null,
  };
}

export async function audited(c: Context<AppEnv>, event: AuditEvent): Promise<void> {
  await insertAuditEntry(c.var.db, {
    at: c.var.clock(),
    action: event.action,
    orgId: event.orgId ?? null,
    targetType: event.target.type,
    targetId: event.target.id,
    detail: event.detail ? JSON.stringify(event.detail) : null,
    ...(await actor(c)),
  });
}

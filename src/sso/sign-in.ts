/**
 * A sign-in through an organization's single sign-on, from the start of the flow to a session or a
 * recorded refusal. Plain values in, result values out; the /sso routes turn them into HTTP.
 */
import type { Db } from "../db/client";
import {
  deleteFlow,
  findFlow,
  recordAttempt,
  rememberAssertion,
  saveFlow,
  takeFlow,
  usersByPrimaryEmail,
  usersByUserName,
} from "../db/sso";
import { sha256Hex } from "../lib/crypto";
import { startSession } from "../setup/sessions";
import type { OidcSettings, SamlSettings } from "./config";
import { identifiers, matchUser } from "./identity";
import { finishOidcSignIn, OIDC_FLOW_TTL_MS, startOidcSignIn, type Fetch } from "./oidc";
import { SAML_REQUEST_TTL_MS, startSamlSignIn, verifySamlResponse, type SamlSp } from "./saml";
import { openSecret, secretKeyProblem } from "../lib/secret-box";

export type Protocol = "saml" | "oidc";

export type Admitted = {
  ok: true;
  userId: string;
  userName: string;
  setupState: "pending" | "complete";
  sessionId: string;
  sessionExpiresAt: number;
};

/**
 * Why a sign-in was refused. `person` refusals are about who signed in (403: the directory says no);
 * `response` refusals are about what the provider or browser sent (400); `service` ones are ours (503).
 */
export type Refused = {
  ok: false;
  kind: "person" | "response" | "service";
  reason: string;
  detail: string;
};

export type SignInResult = Admitted | Refused;

const flowKey = (protocol: Protocol, id: string) => sha256Hex(`${protocol}:${id}`);

async function refuse(
  db: Db,
  orgId: string,
  protocol: Protocol,
  now: number,
  refusal: Omit<Refused, "ok">,
  subject: string | null = null,
  userId: string | null = null,
): Promise<Refused> {
  await recordAttempt(db, { orgId, at: now, protocol, subject, userId, reason: refusal.reason, detail: refusal.detail });
  return { ok: false, ...refusal };
}

/** Applies the matching rule (src/sso/identity.ts) and, for an active person, starts their session. */
async function admit(db: Db, orgId: string, protocol: Protocol, asserted: (string | null)[], now: number): Promise<SignInResult> {
  const ids = identifiers(asserted);
  const subject = asserted.filter(Boolean).join(" / ") || null;
  const [byUserName, byEmail] = await Promise.all([usersByUserName(db, orgId, ids), usersByPrimaryEmail(db, orgId, ids)]);
  const match = matchUser(ids, byUserName, byEmail);
  if (!match.ok) {
    const detail = {
      unknown_user: "no user provisioned in this organization matches the identity the provider asserted",
      ambiguous: "several users of this organization have this primary email",
      deactivated: "the user is deactivated",
    }[match.reason];
    return refuse(db, orgId, protocol, now, { kind: "person", reason: match.reason, detail }, subject, match.user?.id ?? null);
  }
  const session = await startSession(db, orgId, match.user.id, now);
  if (!session) {
    // Deactivated or deleted between the match and the insert.
    return refuse(db, orgId, protocol, now, { kind: "person", reason: "deactivated", detail: "the user is deactivated" }, subject, match.user.id);
  }
  return {
    ok: true,
    userId: match.user.id,
    userName: match.user.userName,
    setupState: match.user.setupState,
    sessionId: session.sessionId,
    sessionExpiresAt: session.expiresAt,
  };
}

// --- SAML --------------------------------------------------------------------------------------

export async function startSaml(db: Db, orgId: string, settings: SamlSettings, sp: SamlSp, relayState: string, now: number) {
  const start = await startSamlSignIn(settings, sp, relayState);
  await saveFlow(db, {
    keyHash: await flowKey("saml", start.requestId),
    orgId,
    protocol: "saml",
    createdAt: now,
    expiresAt: now + SAML_REQUEST_TTL_MS,
  });
  return start;
}

/** The ACS: verifies the response, refuses a replayed assertion, then admits the person it names. */
export async function finishSaml(
  db: Db,
  orgId: string,
  settings: SamlSettings,
  sp: SamlSp,
  samlResponse: string,
  now: number,
): Promise<SignInResult> {
  const verdict = await verifySamlResponse(
    settings,
    sp,
    samlResponse,
    {
      find: async (id) => (await findFlow(db, orgId, await flowKey("saml", id), now))?.createdAt ?? null,
      remove: async (id) => deleteFlow(db, await flowKey("saml", id)),
    },
    now,
  );
  if (!verdict.ok) return refuse(db, orgId, "saml", now, { kind: "response", reason: `saml_${verdict.reason}`, detail: verdict.detail });
  const subject = verdict.identity.nameId;
  if (!(await rememberAssertion(db, orgId, verdict.assertionId, verdict.expiresAt))) {
    return refuse(db, orgId, "saml", now, { kind: "response", reason: "saml_replay", detail: "this assertion was already used" }, subject);
  }
  return admit(db, orgId, "saml", [verdict.identity.nameId, ...verdict.identity.emails], now);
}

// --- OpenID Connect ----------------------------------------------------------------------------

export async function startOidc(db: Db, orgId: string, settings: OidcSettings, redirectUri: string, f: Fetch, now: number) {
  const start = await startOidcSignIn(settings, redirectUri, f);
  if (!start.ok) return refuse(db, orgId, "oidc", now, { kind: "service", reason: `oidc_${start.reason}`, detail: start.detail });
  await saveFlow(db, {
    keyHash: await flowKey("oidc", start.state),
    orgId,
    protocol: "oidc",
    nonce: start.nonce,
    codeVerifier: start.codeVerifier,
    createdAt: now,
    expiresAt: now + OIDC_FLOW_TTL_MS,
  });
  return { ok: true as const, url: start.url, state: start.state };
}

export interface OidcReturn {
  callbackUrl: string;
  redirectUri: string;
  /** The state the browser's flow cookie holds (binds the callback to the browser that started it). */
  cookieState: string | undefined;
  clientSecretEncrypted: string;
  secretKey: string | undefined;
}

export async function finishOidc(db: Db, orgId: string, settings: OidcSettings, r: OidcReturn, f: Fetch, now: number): Promise<SignInResult> {
  const state = new URL(r.callbackUrl).searchParams.get("state");
  if (!state || state.length > 200) {
    return refuse(db, orgId, "oidc", now, { kind: "response", reason: "oidc_state", detail: "the callback carries no state" });
  }
  // Consumed before anything else, so a state works once whatever happens next.
  const flow = await takeFlow(db, orgId, await flowKey("oidc", state), now);
  if (!flow || !flow.nonce || !flow.codeVerifier) {
    return refuse(db, orgId, "oidc", now, { kind: "response", reason: "oidc_state", detail: "unknown, used or expired state" });
  }
  if (r.cookieState !== state) {
    return refuse(db, orgId, "oidc", now, {
      kind: "response",
      reason: "oidc_state",
      detail: "the sign-in was started in another browser (state does not match this browser's flow cookie)",
    });
  }
  if (secretKeyProblem(r.secretKey)) {
    return refuse(db, orgId, "oidc", now, { kind: "service", reason: "sso_secret_key_missing", detail: "SSO_SECRET_KEY is not set" });
  }
  const clientSecret = await openSecret(r.secretKey!, "sso", orgId, r.clientSecretEncrypted);
  if (clientSecret === null) {
    return refuse(db, orgId, "oidc", now, {
      kind: "service",
      reason: "client_secret_unreadable",
      detail: "the stored client secret does not decrypt under SSO_SECRET_KEY (was the key changed?)",
    });
  }
  const finished = await finishOidcSignIn(
    settings,
    { callbackUrl: r.callbackUrl, redirectUri: r.redirectUri, clientSecret, state, nonce: flow.nonce, codeVerifier: flow.codeVerifier, now },
    f,
  );
  if (!finished.ok) {
    const kind = finished.reason === "provider_unreachable" || finished.reason === "provider_invalid" ? "service" : "response";
    return refuse(db, orgId, "oidc", now, { kind, reason: `oidc_${finished.reason}`, detail: finished.detail });
  }
  return admit(db, orgId, "oidc", [finished.identity.email, finished.identity.preferredUsername], now);
}

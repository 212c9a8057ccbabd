/**
 * Storage of single sign-on: each org's configuration, sign-ins in progress, the SAML assertion ids
 * already used, refused attempts, and the users a sign-in may match.
 */
import { and, desc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "./client";
import { ssoAssertions, ssoAttempts, ssoConfigs, ssoFlows, userEmails, users } from "./schema";

/** What a SAML configuration keeps (src/sso/config.ts has the rules): the IdP's identity, where to send people, and the keys it signs with. */
export interface SamlSettings {
  metadataUrl: string | null;
  idpEntityId: string;
  ssoUrl: string;
  ssoBinding: "redirect" | "post";
  /** Base64 DER certificates (no PEM armour), as metadata carries them. */
  signingCerts: string[];
}

export interface OidcSettings {
  issuer: string;
  clientId: string;
}

export type SsoConfig =
  | { protocol: "saml"; settings: SamlSettings; updatedAt: number }
  | { protocol: "oidc"; settings: OidcSettings; clientSecretEncrypted: string; updatedAt: number };

export async function findSsoConfig(db: Db, orgId: string): Promise<SsoConfig | undefined> {
  const row = await db.select().from(ssoConfigs).where(eq(ssoConfigs.orgId, orgId)).get();
  if (!row) return undefined;
  if (row.protocol === "saml") {
    return { protocol: "saml", settings: JSON.parse(row.settings) as SamlSettings, updatedAt: row.updatedAt };
  }
  return {
    protocol: "oidc",
    settings: JSON.parse(row.settings) as OidcSettings,
    clientSecretEncrypted: row.clientSecretEncrypted ?? "",
    updatedAt: row.updatedAt,
  };
}

/** Creates or replaces the org's configuration (one per org: switching protocol replaces it). */
export async function saveSsoConfig(db: Db, orgId: string, config: SsoConfig): Promise<void> {
  const values = {
    protocol: config.protocol,
    settings: JSON.stringify(config.settings),
    clientSecretEncrypted: config.protocol === "oidc" ? config.clientSecretEncrypted : null,
    updatedAt: config.updatedAt,
  };
  await db
    .insert(ssoConfigs)
    .values({ orgId, createdAt: config.updatedAt, ...values })
    .onConflictDoUpdate({ target: ssoConfigs.orgId, set: values });
}

export async function deleteSsoConfig(db: Db, orgId: string): Promise<boolean> {
  const deleted = await db.delete(ssoConfigs).where(eq(ssoConfigs.orgId, orgId)).returning({ orgId: ssoConfigs.orgId });
  return deleted.length > 0;
}

export interface NewFlow {
  keyHash: string;
  orgId: string;
  protocol: "saml" | "oidc";
  nonce?: string;
  codeVerifier?: string;
  createdAt: number;
  expiresAt: number;
}

export async function saveFlow(db: Db, flow: NewFlow): Promise<void> {
  await db.insert(ssoFlows).values(flow);
}

/** The flow, if it is the org's and unexpired; it is deleted in the same statement, so it serves once. */
export async function takeFlow(db: Db, orgId: string, keyHash: string, now: number) {
  const [flow] = await db
    .delete(ssoFlows)
    .where(and(eq(ssoFlows.keyHash, keyHash), eq(ssoFlows.orgId, orgId)))
    .returning();
  return flow && flow.expiresAt > now ? flow : undefined;
}

export async function findFlow(db: Db, orgId: string, keyHash: string, now: number) {
  return db
    .select()
    .from(ssoFlows)
    .where(and(eq(ssoFlows.keyHash, keyHash), eq(ssoFlows.orgId, orgId), gt(ssoFlows.expiresAt, now)))
    .get();
}

export async function deleteFlow(db: Db, keyHash: string): Promise<void> {
  await db.delete(ssoFlows).where(eq(ssoFlows.keyHash, keyHash));
}

/** Remembers a SAML assertion id; false when it was already used (a replay). */
export async function rememberAssertion(db: Db, orgId: string, assertionId: string, expiresAt: number): Promise<boolean> {
  const inserted = await db
    .insert(ssoAssertions)
    .values({ orgId, assertionId, expiresAt })
    .onConflictDoNothing()
    .returning({ id: ssoAssertions.assertionId });
  return inserted.length > 0;
}

export type NewAttempt = typeof ssoAttempts.$inferInsert;

/**
 * Refusals kept per org: anyone can post garbage to an ACS, so the record is capped on write (the
 * newest are kept) as well as pruned by age.
 */
export const MAX_ATTEMPTS_PER_ORG = 1_000;

export async function recordAttempt(db: Db, attempt: NewAttempt): Promise<void> {
  await db.batch([
    db.insert(ssoAttempts).values({
      ...attempt,
      subject: attempt.subject?.slice(0, 320) ?? null,
      detail: attempt.detail?.slice(0, 500) ?? null,
    }),
    db.delete(ssoAttempts).where(
      and(
        eq(ssoAttempts.orgId, attempt.orgId),
        sql`${ssoAttempts.id} <= (SELECT id FROM ${ssoAttempts} WHERE org_id = ${attempt.orgId} ORDER BY id DESC
          LIMIT 1 OFFSET ${MAX_ATTEMPTS_PER_ORG})`,
      ),
    ),
  ]);
}

export async function listAttempts(db: Db, orgId: string, limit: number) {
  return db.select().from(ssoAttempts).where(eq(ssoAttempts.orgId, orgId)).orderBy(desc(ssoAttempts.id)).limit(limit);
}

export interface SignInCandidate {
  id: string;
  userName: string;
  userNameNorm: string;
  active: boolean;
  setupState: "pending" | "complete";
}

const candidateColumns = {
  id: users.id,
  userName: users.userName,
  userNameNorm: users.userNameNorm,
  active: users.active,
  setupState: users.setupState,
};

/** Users of the org whose folded userName is one of `folded`. */
export async function usersByUserName(db: Db, orgId: string, folded: string[]): Promise<SignInCandidate[]> {
  if (folded.length === 0) return [];
  return db.select(candidateColumns).from(users).where(and(eq(users.orgId, orgId), inArray(users.userNameNorm, folded)));
}

/** Users of the org whose primary email, folded, is one of `folded`, with that email. */
export async function usersByPrimaryEmail(db: Db, orgId: string, folded: string[]) {
  if (folded.length === 0) return [];
  return db
    .selectDistinct({ ...candidateColumns, email: userEmails.valueNorm })
    .from(userEmails)
    .innerJoin(users, eq(users.id, userEmails.userId))
    .where(and(eq(userEmails.orgId, orgId), inArray(userEmails.valueNorm, folded), eq(userEmails.primary, true), eq(users.orgId, orgId)));
}

/** Refused sign-ins are kept this long for admins to look at. */
export const SSO_ATTEMPT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;

/** For the scheduled clean-up: flows and remembered assertions past their time, and old refusals. */
export async function deleteExpiredSsoRows(db: Db, now: number): Promise<number> {
  const attempts = await db.delete(ssoAttempts).where(lte(ssoAttempts.at, now - SSO_ATTEMPT_RETENTION_MS)).returning({ id: ssoAttempts.id });
  const flows = await db.delete(ssoFlows).where(lte(ssoFlows.expiresAt, now)).returning({ k: ssoFlows.keyHash });
  const assertions = await db
    .delete(ssoAssertions)
    .where(lte(ssoAssertions.expiresAt, now))
    .returning({ k: sql`1` });
  return flows.length + assertions.length + attempts.length;
}

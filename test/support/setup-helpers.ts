/** Helpers for the account-setup tests: links, key bundles, completions and the session cookie. */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { base64url } from "../../src/lib/crypto";
import { admin, newScimOrg, request, viaWorker, type ScimClient } from "./helpers";
import { seedUsers } from "./seed";

type Fetch = (request: Request) => Promise<Response>;

export interface Bundle {
  publicKey: string;
  encryptedPrivateKey: string;
  iv: string;
  salt: string;
  kdf: { name: string; hash: string; iterations: number };
}

const random = (bytes: number) => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

/**
 * A bundle the server accepts: a real ECDH P-256 public key. The server cannot decrypt anything, so
 * the "ciphertext" here is random bytes of a plausible size (the browser test does real encryption).
 */
export async function testBundle(overrides: Partial<Bundle> = {}): Promise<Bundle> {
  const pair = (await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveBits"])) as CryptoKeyPair;
  const spki = (await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer;
  return {
    publicKey: base64url(new Uint8Array(spki)),
    encryptedPrivateKey: random(154),
    iv: random(12),
    salt: random(16),
    kdf: { name: "PBKDF2", hash: "SHA-256", iterations: 600_000 },
    ...overrides,
  };
}

/** Creates an org and `count` pending users in it, seeded by SQL (see scimOrgWithUsers for SCIM-created ones). */
export async function orgWithUsers(count = 1, send: Fetch = viaWorker) {
  const org = (await admin("POST", "/orgs", { name: `Setup ${crypto.randomUUID()}` }, send)).body;
  const userIds = await seedUsers(org.id, count);
  return { orgId: org.id as string, userIds };
}

export async function issueLink(orgId: string, userId: string, send: Fetch = viaWorker) {
  return admin("POST", `/orgs/${orgId}/users/${userId}/setup-link`, undefined, send);
}

/** The token of a setup URL (`…/setup#token=<token>`). */
export function tokenOf(url: string): string {
  const token = new URLSearchParams(new URL(url).hash.slice(1)).get("token");
  if (!token) throw new Error(`no token in ${url}`);
  return token;
}

export async function linkToken(orgId: string, userId: string, send: Fetch = viaWorker): Promise<string> {
  const issued = await issueLink(orgId, userId, send);
  expect(issued.status, JSON.stringify(issued.body)).toBe(201);
  return tokenOf(issued.body.url);
}

export async function complete(token: string | null, body: unknown, send: Fetch = viaWorker) {
  const res = await send(
    request("POST", "/api/v1/setup/complete", {
      body,
      headers: { "Content-Type": "application/json", ...(token === null ? {} : { Authorization: `Bearer ${token}` }) },
    }),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** The session id a completion set, read from its Set-Cookie. */
export function sessionCookie(headers: Headers): string {
  const match = /(?:^|,\s*)edge_scim_user=([^;]+)/.exec(headers.get("Set-Cookie") ?? "");
  if (!match) throw new Error(`no session cookie in ${headers.get("Set-Cookie")}`);
  return match[1];
}

export async function myKeys(sessionId: string | null, send: Fetch = viaWorker) {
  const res = await send(
    request("GET", "/api/v1/me/keys", { headers: sessionId ? { Cookie: `edge_scim_user=${sessionId}` } : {} }),
  );
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export async function setActive(userId: string, active: boolean) {
  await env.DB.prepare("UPDATE users SET active = ? WHERE id = ?").bind(active ? 1 : 0, userId).run();
}

export async function rowCount(table: string, where: string, ...params: unknown[]): Promise<number> {
  return (await env.DB.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`)
    .bind(...params)
    .first<number>("n"))!;
}

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

/** Creates a user the way an identity provider does (SCIM POST /Users), returning its id. */
export async function provision(org: ScimClient, userName: string, emails: string[] = [userName]): Promise<string> {
  const res = await org.call("POST", "/Users", {
    schemas: [CORE_USER],
    userName,
    name: { givenName: "Test", familyName: "Person" },
    emails: emails.map((value, i) => ({ value, type: "work", primary: i === 0 })),
    active: true,
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.id;
}

/** Deactivates or reactivates through SCIM, as JumpCloud does (one replace op on `active`). */
export async function scimSetActive(org: ScimClient, userId: string, active: boolean) {
  const res = await org.call("PATCH", `/Users/${userId}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", path: "active", value: active }],
  });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
}

/** An org with SCIM on and `count` users provisioned through it. */
export async function scimOrgWithUsers(count = 1, send: Fetch = viaWorker) {
  const org = await newScimOrg({ send });
  const userIds: string[] = [];
  for (let i = 0; i < count; i++) userIds.push(await provision(org, `person${i}.${crypto.randomUUID()}@example.com`));
  return { org, orgId: org.orgId, userIds };
}

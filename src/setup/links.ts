/**
 * Setup links: single-use, 7-day links with which a provisioned person finishes their account setup.
 * Only the SHA-256 of a link's token is stored; the token itself travels in the URL fragment
 * (`/setup#token=…`), which browsers never send to a server or put in a Referer.
 */
import { findUsersForSetup, issueLinksStatements, issueLinkStatements, liveLinkExpiry, type NewSetupLink } from "../db/account-setup";
import type { Db } from "../db/client";
import { findUserForSetup } from "../db/user-directory";
import { isoTime } from "../lib/clock";
import { newId, randomSecret, sha256Hex } from "../lib/crypto";
import type { SetupWebhookPayload } from "./webhook";

export const SETUP_LINK_TTL_MS = 7 * 24 * 60 * 60 * 1000;
/** Makes a leaked token recognisable (secret scanners, logs review). */
export const SETUP_TOKEN_PREFIX = "setup_";

export type IssueRefusal = "not_found" | "deactivated" | "complete";

export type IssueResult =
  | { ok: true; url: string; expiresAt: number; webhookPayload: SetupWebhookPayload }
  | { ok: false; refusal: IssueRefusal }
  /** Only with `unlessLive`: an earlier link still works (until `expiresAt`), so none was issued. */
  | { ok: false; refusal: "live_link"; expiresAt: number };

type SetupUser = NonNullable<Awaited<ReturnType<typeof findUserForSetup>>>;

function refusalOf(user: SetupUser | undefined): IssueRefusal | null {
  if (!user) return "not_found";
  if (!user.active) return "deactivated";
  if (user.setupState === "complete") return "complete";
  return null;
}

/** The user's emails as the SCIM resource holds them (the stored JSON keeps their original case). */
function emailsOf(data: string): SetupWebhookPayload["emails"] {
  let emails: unknown;
  try {
    emails = (JSON.parse(data) as { emails?: unknown }).emails;
  } catch {
    return [];
  }
  if (!Array.isArray(emails)) return [];
  return emails
    .filter((e): e is Record<string, unknown> => typeof e?.value === "string")
    .map((e) => ({
      value: e.value as string,
      ...(typeof e.type === "string" ? { type: e.type } : {}),
      ...(e.primary === true ? { primary: true } : {}),
    }));
}

/**
 * Issues a new link for the user, which makes every earlier link of theirs stop working; with
 * `unlessLive`, only when no earlier link still works (atomically: the insert itself checks).
 */
export async function issueSetupLink(
  db: Db,
  orgId: string,
  userId: string,
  now: number,
  origin: string,
  options: { unlessLive?: boolean } = {},
): Promise<IssueResult> {
  const user = await findUserForSetup(db, orgId, userId);
  const refusal = refusalOf(user);
  if (refusal || !user) return { ok: false, refusal: refusal ?? "not_found" };

  const token = `${SETUP_TOKEN_PREFIX}${randomSecret(32)}`;
  const link = { id: newId(), orgId, userId, tokenHash: await sha256Hex(token), createdAt: now, expiresAt: now + SETUP_LINK_TTL_MS };
  const [inserted] = await db.batch(issueLinkStatements(db, link, options));
  if (inserted.length === 0) {
    if (options.unlessLive) {
      const expiresAt = await liveLinkExpiry(db, userId, now);
      if (expiresAt !== null) return { ok: false, refusal: "live_link", expiresAt };
    }
    // The user was deactivated, completed setup or was deleted between the read and the batch.
    return { ok: false, refusal: refusalOf(await findUserForSetup(db, orgId, userId)) ?? "not_found" };
  }
  const url = `${origin}/setup#token=${token}`;
  return {
    ok: true,
    url,
    expiresAt: link.expiresAt,
    webhookPayload: { orgId, userId, userName: user.userName, emails: emailsOf(user.data), url, expiresAt: isoTime(link.expiresAt) },
  };
}

/**
 * First links for users provisioned together (a Bulk request): the same rules as issueSetupLink,
 * in three statements whatever their number. Returns what to deliver for each user that got one.
 */
export async function issueFirstSetupLinks(db: Db, orgId: string, userIds: string[], now: number, origin: string): Promise<SetupWebhookPayload[]> {
  const users = (await findUsersForSetup(db, orgId, userIds)).filter((u) => u.active && u.setupState === "pending");
  if (!users.length) return [];
  const tokens = new Map<string, string>();
  const links: NewSetupLink[] = [];
  for (const user of users) {
    const token = `${SETUP_TOKEN_PREFIX}${randomSecret(32)}`;
    tokens.set(user.id, token);
    links.push({ id: newId(), orgId, userId: user.id, tokenHash: await sha256Hex(token), createdAt: now, expiresAt: now + SETUP_LINK_TTL_MS });
  }
  const [inserted] = await db.$client.batch<{ userId: string }>([...issueLinksStatements(db, orgId, links, now)]);
  const issued = new Set(inserted.results.map((r) => r.userId));
  return users
    .filter((u) => issued.has(u.id))
    .map((u) => {
      const url = `${origin}/setup#token=${tokens.get(u.id)}`;
      return { orgId, userId: u.id, userName: u.userName, emails: emailsOf(u.data), url, expiresAt: isoTime(now + SETUP_LINK_TTL_MS) };
    });
}

/**
 * Who a sign-in is: the documented matching rule from an identity provider's assertion to one
 * provisioned user of the org. Only the directory (what SCIM provisioned) decides who gets in.
 *
 * 1. The identifiers the provider asserted, in order — SAML: the NameID, then the email attributes;
 *    OIDC: `email` (unless `email_verified` is false), then `preferred_username` — are folded the
 *    way userName uniqueness folds (NFC + lower case).
 * 2. The first identifier equal to a user's userName picks that user.
 * 3. Otherwise an identifier equal to the primary email of exactly one user picks that user; when
 *    several users share it, nobody is picked (the sign-in is refused as ambiguous).
 * 4. The picked user must be active; a deactivated one is refused.
 */
import { fold } from "../scim/text";

export interface Candidate {
  id: string;
  userName: string;
  userNameNorm: string;
  active: boolean;
  setupState: "pending" | "complete";
}

export type Match =
  | { ok: true; user: Candidate }
  | { ok: false; reason: "unknown_user" | "ambiguous" | "deactivated"; user?: Candidate };

/** The asserted identifiers, folded, without blanks or repeats, in rule order. */
export function identifiers(asserted: (string | null | undefined)[]): string[] {
  const out: string[] = [];
  for (const value of asserted) {
    const v = value?.trim();
    if (v && v.length <= 320 && !out.includes(fold(v))) out.push(fold(v));
  }
  return out;
}

export function matchUser(
  ids: string[],
  byUserName: Candidate[],
  byPrimaryEmail: (Candidate & { email: string })[],
): Match {
  let user: Candidate | undefined;
  for (const id of ids) {
    user = byUserName.find((u) => u.userNameNorm === id);
    if (user) break;
  }
  if (!user) {
    for (const id of ids) {
      const owners = byPrimaryEmail.filter((u) => u.email === id);
      if (owners.length > 1) return { ok: false, reason: "ambiguous" };
      if (owners.length === 1) {
        user = owners[0];
        break;
      }
    }
  }
  if (!user) return { ok: false, reason: "unknown_user" };
  if (!user.active) return { ok: false, reason: "deactivated", user };
  return { ok: true, user };
}

/**
 * The operator resets a completed setup: the person's key bundle and sessions are deleted and they
 * are pending again, so a new setup link can be issued. What the old key protected stays locked for
 * good (the service never had it). A change to the security model (docs/security.md, "Security model").
 */
import { resetSetupStatements } from "../db/account-setup";
import type { Db } from "../db/client";
import { findUser } from "../db/users";
import { findUserForSetup } from "../db/user-directory";
import { userSetupEvent } from "../events/model";

export type ResetResult = { ok: true } | { ok: false; refusal: "not_found" | "not_complete" };

/** `baseUrl`: the SCIM base URL the user.setup_reset event renders the user's location with. */
export async function resetSetup(db: Db, orgId: string, userId: string, now: number, baseUrl: string): Promise<ResetResult> {
  const user = await findUser(db, orgId, userId);
  if (!user) return { ok: false, refusal: "not_found" };
  const event = userSetupEvent("user.setup_reset", user, baseUrl);
  const [, , , reset] = await db.batch(resetSetupStatements(db, orgId, userId, now, event));
  if (reset.length > 0) return { ok: true };
  return { ok: false, refusal: (await findUserForSetup(db, orgId, userId)) ? "not_complete" : "not_found" };
}

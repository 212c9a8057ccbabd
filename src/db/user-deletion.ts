/** The user-deletion statement the OrgWriter runs (kept apart from the Users queries it serialises). */
import { and, eq } from "drizzle-orm";
import type { Db } from "./client";
import { users } from "./schema";

/** Cascades to emails, memberships, key material, sessions and setup links. */
export function deleteUserStatement(db: Db, orgId: string, userId: string) {
  return db.delete(users).where(and(eq(users.orgId, orgId), eq(users.id, userId)));
}

/** The user-deletion statements the OrgWriter runs (kept apart from the Users queries it serialises). */
import { and, eq } from "drizzle-orm";
import type { Db } from "./client";
import { users } from "./schema";

export async function findUserVersion(db: Db, orgId: string, userId: string): Promise<number | undefined> {
  const row = await db
    .select({ version: users.version })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
    .get();
  return row?.version;
}

/** Cascades to emails, memberships, key material, sessions and setup links. */
export function deleteUserStatement(db: Db, orgId: string, userId: string) {
  return db.delete(users).where(and(eq(users.orgId, orgId), eq(users.id, userId)));
}

/** Queries for organizations. */
import { asc, eq } from "drizzle-orm";
import type { Db } from "./client";
import { orgs } from "./schema";

export type OrgRow = typeof orgs.$inferSelect;

export async function insertOrg(db: Db, row: OrgRow): Promise<void> {
  await db.insert(orgs).values(row);
}

export function listOrgs(db: Db): Promise<OrgRow[]> {
  return db.select().from(orgs).orderBy(asc(orgs.createdAt), asc(orgs.id));
}

export async function findOrg(db: Db, orgId: string): Promise<OrgRow | undefined> {
  return db.select().from(orgs).where(eq(orgs.id, orgId)).get();
}

/** Returns false when the org does not exist. */
export async function setScimEnabled(db: Db, orgId: string, enabled: boolean): Promise<boolean> {
  const updated = await db.update(orgs).set({ scimEnabled: enabled }).where(eq(orgs.id, orgId)).returning({ id: orgs.id });
  return updated.length > 0;
}

/** Returns false when the org does not exist. */
export async function setRateLimitLevel(db: Db, orgId: string, level: string): Promise<boolean> {
  const updated = await db.update(orgs).set({ rateLimitLevel: level }).where(eq(orgs.id, orgId)).returning({ id: orgs.id });
  return updated.length > 0;
}

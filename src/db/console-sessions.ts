/** Queries for operator console sessions, looked up by the SHA-256 of the session id only. */
import { eq, lte } from "drizzle-orm";
import type { Db } from "./client";
import { consoleSessions } from "./schema";

export type ConsoleSessionRow = typeof consoleSessions.$inferSelect;

export async function insertConsoleSession(db: Db, row: ConsoleSessionRow): Promise<void> {
  await db.insert(consoleSessions).values(row);
}

export async function findConsoleSession(db: Db, idHash: string): Promise<ConsoleSessionRow | undefined> {
  return db.select().from(consoleSessions).where(eq(consoleSessions.idHash, idHash)).get();
}

export async function deleteConsoleSession(db: Db, idHash: string): Promise<void> {
  await db.delete(consoleSessions).where(eq(consoleSessions.idHash, idHash));
}

/** Operator sessions are few; the scheduled clean-up scans the table. */
export async function deleteExpiredConsoleSessions(db: Db, now: number): Promise<number> {
  const deleted = await db
    .delete(consoleSessions)
    .where(lte(consoleSessions.expiresAt, now))
    .returning({ idHash: consoleSessions.idHash });
  return deleted.length;
}

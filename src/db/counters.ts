/** Operator-level counters: named integers that belong to no organization. */
import { asc, sql } from "drizzle-orm";
import type { Db } from "./client";
import { counters } from "./schema";

export type CounterRow = typeof counters.$inferSelect;

/** One upsert, so concurrent bumps never lose an increment. */
export async function bumpCounter(db: Db, name: string, now: number): Promise<void> {
  await db
    .insert(counters)
    .values({ name, value: 1, updatedAt: now })
    .onConflictDoUpdate({ target: counters.name, set: { value: sql`${counters.value} + 1`, updatedAt: now } });
}

export function listCounters(db: Db): Promise<CounterRow[]> {
  return db.select().from(counters).orderBy(asc(counters.name));
}

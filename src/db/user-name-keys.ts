/**
 * The Worker's half of migration 0005: recomputing the userName key (src/scim/text.ts userNameKey)
 * of the rows the migration could not key in SQL (SQLite has no Unicode functions). Rows waiting for
 * it have user_name_key_version = 0 and still hold their old, unique key (user_name_norm), so the
 * unique index protects them meanwhile.
 *
 * A row whose new key is already held by another user of its organization is never deleted: it gets
 * the distinguishing key " <id>" (a leading space, which no computed key has) and is listed in
 * user_name_collisions, naming the user that holds the key. The holder keeps it: its uniqueness never
 * changed. Runs from the hourly Cron Trigger and from POST /api/v1/maintenance/user-name-keys.
 */
import { count, desc, eq } from "drizzle-orm";
import { userNameKey } from "../scim/text";
import type { Db } from "./client";
import { isUniqueViolation } from "./errors";
import { userNameCollisions, users } from "./schema";

/** Rows per call: 2 statements, plus 1 per changed key and 3 more per collision; far below a Worker's 1,000 when keys rarely change. */
export const REKEY_CHUNK = 150;

export type UserNameCollision = typeof userNameCollisions.$inferSelect;

export interface RekeyResult {
  /** Rows whose key is now the PRECIS key (unchanged or changed). */
  rekeyed: number;
  /** Rows that kept a distinguishing key in this call. */
  collisions: UserNameCollision[];
  /** Rows still waiting. */
  pending: number;
}

/** The key a colliding row keeps: unique (ids are) and unlike any computed key (leading space). */
export function distinguishingKey(userId: string): string {
  return ` ${userId}`;
}

export async function pendingUserNameKeys(db: Db): Promise<number> {
  const row = await db.select({ n: count() }).from(users).where(eq(users.userNameKeyVersion, 0)).get();
  return row?.n ?? 0;
}

export async function rekeyPendingUserNames(db: Db, now: number, limit = REKEY_CHUNK): Promise<RekeyResult> {
  const d1 = db.$client;
  const { results: rows } = await d1
    .prepare(`SELECT id, org_id, user_name, user_name_key FROM users WHERE user_name_key_version = 0 LIMIT ?`)
    .bind(limit)
    .all<{ id: string; org_id: string; user_name: string; user_name_key: string }>();

  const unchanged: string[] = [];
  const changed: { row: (typeof rows)[number]; key: string }[] = [];
  for (const row of rows) {
    const key = userNameKey(row.user_name);
    if (key === row.user_name_key) unchanged.push(row.id);
    else changed.push({ row, key });
  }

  let rekeyed = 0;
  if (unchanged.length > 0) {
    const result = await d1
      .prepare(`UPDATE users SET user_name_key_version = 1 WHERE user_name_key_version = 0 AND id IN (SELECT value FROM json_each(?))`)
      .bind(JSON.stringify(unchanged))
      .run();
    rekeyed += result.meta.changes;
  }

  const collisions: UserNameCollision[] = [];
  for (const { row, key } of changed) {
    // Guarded on the name read: a rename since then has keyed the row itself (version 1).
    try {
      const result = await d1
        .prepare(
          `UPDATE users SET user_name_key = ?, user_name_key_version = 1 WHERE id = ? AND user_name_key_version = 0 AND user_name = ?`,
        )
        .bind(key, row.id, row.user_name)
        .run();
      rekeyed += result.meta.changes;
      continue;
    } catch (error) {
      if (!isUniqueViolation(error, "users.org_id, users.user_name_key")) throw error;
    }
    const holder = await d1
      .prepare(`SELECT id FROM users WHERE org_id = ? AND user_name_key = ?`)
      .bind(row.org_id, key)
      .first<{ id: string }>();
    const collision: UserNameCollision = {
      userId: row.id,
      orgId: row.org_id,
      userName: row.user_name,
      userNameKey: key,
      heldByUserId: holder?.id ?? "",
      foundAt: now,
    };
    const updated = await d1
      .prepare(`UPDATE users SET user_name_key = ?, user_name_key_version = 1 WHERE id = ? AND user_name_key_version = 0 AND user_name = ?`)
      .bind(distinguishingKey(row.id), row.id, row.user_name)
      .run();
    if (updated.meta.changes !== 1) continue; // renamed meanwhile: the rename keyed it
    await db
      .insert(userNameCollisions)
      .values(collision)
      .onConflictDoUpdate({
        target: userNameCollisions.userId,
        set: { userName: collision.userName, userNameKey: key, heldByUserId: collision.heldByUserId, foundAt: now },
      });
    rekeyed += 1;
    collisions.push(collision);
  }
  return { rekeyed, collisions, pending: await pendingUserNameKeys(db) };
}

/** The report: every user that kept a distinguishing key, newest first. */
export function listUserNameCollisions(db: Db, limit = 1000): Promise<UserNameCollision[]> {
  return db.select().from(userNameCollisions).orderBy(desc(userNameCollisions.foundAt), userNameCollisions.userId).limit(limit);
}

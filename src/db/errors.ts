/** Recognising constraint failures reported by D1 (it surfaces SQLite's messages as plain Errors). */

/**
 * Whether `err` (or an error it wraps) is SQLite's unique-constraint failure on exactly `columns`,
 * written as SQLite names them, e.g. "users.org_id, users.user_name_norm".
 */
export function isUniqueViolation(err: unknown, columns: string): boolean {
  const expected = `UNIQUE constraint failed: ${columns}`;
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (e.message.includes(expected)) return true;
  }
  return false;
}

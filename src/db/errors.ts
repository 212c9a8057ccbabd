/** Recognising constraint failures reported by D1 (it surfaces SQLite's messages as plain Errors). */
export function isUniqueViolation(err: unknown): boolean {
  const message = err instanceof Error ? `${err.message} ${(err.cause as Error | undefined)?.message ?? ""}` : String(err);
  return /UNIQUE constraint failed/i.test(message);
}

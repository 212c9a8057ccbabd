/**
 * Case-folded prefix search as an index range. Never a LIKE pattern: D1 refuses LIKE/GLOB patterns
 * over 50 bytes, and a range over a `*_norm` column is what its index serves.
 */
import { sql, type SQL } from "drizzle-orm";

/** `column` starts with `prefix`: an index range, then an exact check of the prefix. */
export function startsWith(column: SQL, prefix: string): SQL {
  // Every string that starts with the prefix sorts in [prefix, prefix || U+10FFFF) under BINARY collation.
  return sql`${column} >= ${prefix} AND ${column} < ${prefix} || char(1114111) AND substr(${column}, 1, length(${prefix})) = ${prefix}`;
}

/**
 * Keyset positions in a sorted list (RFC 9865 cursors): "the rows after (or before) this one" as a
 * WHERE condition over the sort key and the id tie-breaker, so that a page deep in a list costs what
 * the first one costs and rows inserted or deleted elsewhere never shift the pages of a walk.
 *
 * The list order is `sortTerms(key)` then the id, running the same way as the key; absent (NULL)
 * sort values come last in both directions.
 */
import type { CompiledSql } from "./filter";
import { sortTerms, type SortKey } from "./sort";

/** A value a sort expression yields (D1 returns TEXT, INTEGER and REAL as strings and numbers). */
export type SortValue = string | number | null;

/** A row's place in the list order: its sort value and id. */
export interface Position {
  value: SortValue;
  id: string;
}

export type Side = "after" | "before";

/** The full ORDER BY of a list (the key, then the id); `reverse` walks it backwards. */
export function listOrder(key: SortKey, idColumn: string, reverse = false): string {
  const idDirection = key.descending !== reverse ? "DESC" : "ASC";
  return `${sortTerms(key, reverse)}, ${idColumn} ${idDirection}`;
}

/**
 * The rows strictly after (or before) `position` in the list order, or at it too with `inclusive`.
 * The position's values travel as parameters.
 */
export function beyond(key: SortKey, idColumn: string, position: Position, side: Side, inclusive = false): CompiledSql {
  const forward = (side === "after") !== key.descending;
  const strict = forward ? ">" : "<";
  const idOp = inclusive ? `${strict}=` : strict;
  const { expr } = key;
  if (key.notNull) {
    // A row value compares lexicographically and lets SQLite seek the (org_id, key, id) index.
    return { sql: `(${expr}, ${idColumn}) ${idOp} (?, ?)`, params: [position.value, position.id] };
  }
  if (position.value === null) {
    // In the tail of absent values, ordered by id alone; every present value comes before it.
    return side === "after"
      ? { sql: `(${expr} IS NULL AND ${idColumn} ${idOp} ?)`, params: [position.id] }
      : { sql: `(${expr} IS NOT NULL OR ${idColumn} ${idOp} ?)`, params: [position.id] };
  }
  // Comparisons with NULL are never true, so absent values are never "before" a present one; they
  // are all "after" it.
  const nullsAfter = side === "after" ? ` OR ${expr} IS NULL` : "";
  return {
    sql: `(${expr} ${strict} ?${nullsAfter} OR (${expr} = ? AND ${idColumn} ${idOp} ?))`,
    params: [position.value, position.value, position.id],
  };
}

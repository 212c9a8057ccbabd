/**
 * Index paging and sorting parameters (RFC 7644 §3.4.2.3-4), lenient where the RFC says "SHALL be
 * interpreted as": `startIndex` < 1 is 1, negative `count` is 0, `count` above MAX_RESULTS is clamped.
 * What cannot be read as an integer → 400 invalidValue.
 */
import { jsonType, ScimError } from "./errors";
import type { SortOrder } from "./sql/sort";
import { DEFAULT_COUNT, MAX_RESULTS } from "./limits";

export interface Page {
  /** 1-based. */
  startIndex: number;
  count: number;
}

export interface Sort {
  sortBy?: string;
  sortOrder: SortOrder;
}

const absent = (raw: unknown) => raw === undefined || raw === null || raw === "";

function integer(raw: unknown, name: string): number | undefined {
  if (absent(raw)) return undefined;
  if (typeof raw === "number" && Number.isInteger(raw)) return raw;
  if (typeof raw === "string" && /^\s*[+-]?\d+\s*$/.test(raw)) return Number(raw);
  throw ScimError.invalidValue(`'${name}' must be an integer, not ${JSON.stringify(raw)}`, `'${name}' must be an integer, not ${jsonType(raw)}`);
}

export function parsePage(rawStartIndex: unknown, rawCount: unknown): Page {
  const startIndex = integer(rawStartIndex, "startIndex") ?? 1;
  const count = integer(rawCount, "count") ?? DEFAULT_COUNT;
  return {
    startIndex: Math.min(Math.max(startIndex, 1), Number.MAX_SAFE_INTEGER),
    count: Math.min(Math.max(count, 0), MAX_RESULTS),
  };
}

/**
 * `count` with a cursor (RFC 9865): negative is 0, absent is DEFAULT_COUNT, and what is not an integer
 * from 0 to MAX_RESULTS is 400 invalidCount (index paging clamps instead, as it always has).
 */
export function parseCursorCount(raw: unknown): number {
  if (absent(raw)) return DEFAULT_COUNT;
  const count = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*[+-]?\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(count) || count > MAX_RESULTS) {
    throw new ScimError(400, `'count' must be an integer from 0 to ${MAX_RESULTS} when paging by cursor, not ${JSON.stringify(raw)}`, "invalidCount");
  }
  return Math.max(count, 0);
}

export function parseSort(rawSortBy: unknown, rawSortOrder: unknown): Sort {
  let sortOrder: SortOrder = "ascending";
  if (!absent(rawSortOrder)) {
    const order = typeof rawSortOrder === "string" ? rawSortOrder.trim().toLowerCase() : undefined;
    if (order !== "ascending" && order !== "descending") {
      throw ScimError.invalidValue(
        `'sortOrder' must be "ascending" or "descending", not ${JSON.stringify(rawSortOrder)}`,
        `'sortOrder' must be "ascending" or "descending"`,
      );
    }
    sortOrder = order;
  }
  if (absent(rawSortBy)) return { sortOrder };
  if (typeof rawSortBy !== "string") throw ScimError.invalidValue("'sortBy' must be an attribute name");
  return { sortBy: rawSortBy.trim(), sortOrder };
}

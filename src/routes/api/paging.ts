/**
 * Keyset paging for the admin API's directory lists: the query parameters every list shares and the
 * opaque cursor, which carries the sort key of the last row of the previous page.
 */
import { z } from "zod";
import { base64url, fromBase64url } from "../../lib/crypto";
import { ApiError } from "./errors";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Parameters left empty by a form (`?q=&state=`) mean "no filter". */
export const emptyAsAbsent = (value: unknown) => (value === "" ? undefined : value);

/** `cursor` and `limit`, as every list takes them. */
export const pageParams = {
  cursor: z.preprocess(emptyAsAbsent, z.string().max(2000).optional()),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
};

/**
 * `total=1` asks for the list's size without a search (one COUNT on an index; the console asks with
 * the first page only). With a search `q` the answer's total is null: counting a search is not cheap.
 */
export const totalParam = z.preprocess(emptyAsAbsent, z.enum(["0", "1"]).optional());

/** A search prefix as typed (trimmed); folding is the caller's. */
export const searchParam = z.preprocess(emptyAsAbsent, z.string().trim().max(200).optional());

export function encodeCursor(after: string): string {
  return base64url(new TextEncoder().encode(JSON.stringify({ after })));
}

/** The sort key a cursor carries; undefined without a cursor, 400 for one this API did not return. */
export function cursorAfter(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  try {
    const bytes = fromBase64url(cursor);
    const parsed = bytes && (JSON.parse(new TextDecoder().decode(bytes)) as { after?: unknown });
    if (typeof parsed?.after === "string") return parsed.after;
  } catch {
    // fall through to the 400
  }
  throw ApiError.badRequest("cursor: not a cursor this API returned", "cursor");
}

/** Cuts the `limit + 1` rows a query read into the page and the cursor of the next one. */
export function toPage<T>(rows: T[], limit: number, sortKey: (row: T) => string) {
  const page = rows.slice(0, limit);
  const nextCursor = rows.length > limit ? encodeCursor(sortKey(page[page.length - 1])) : null;
  return { page, nextCursor };
}

/**
 * The parameters of a list or search request (RFC 7644 §3.4.2, §3.4.3), read the same way from a query
 * string and from a SearchRequest body.
 */
import { ScimError } from "./errors";
import type { Filter } from "./filter/ast";
import { parseFilter } from "./filter/parser";
import { parseCursorCount, parsePage, parseSort, type Page, type Sort } from "./paging";
import { parseProjection, type Projection } from "./projection";
import type { ResourceSchema } from "./schemas";

export interface ListRequest {
  filter?: Filter;
  /** Index paging (the default); with `cursor`, `startIndex` is 1 and `count` as RFC 9865 reads it. */
  page: Page;
  /**
   * Cursor paging (RFC 9865): the cursor the client sent, "" for the first page. Undefined when the
   * request has no `cursor` parameter.
   */
  cursor?: string;
  sort: Sort;
  projection: Projection;
}

/** Reads a parameter by name; names are matched case-insensitively by the caller. */
export type ParamSource = (name: string) => unknown;

export function parseListRequest(param: ParamSource, schema: ResourceSchema): ListRequest {
  const rawFilter = param("filter");
  let filter: Filter | undefined;
  if (rawFilter !== undefined) {
    // An empty filter is refused, not ignored: workerd cuts a request line at a raw space, so
    // `?filter= userName eq "x"` arrives as `?filter=`, and must not become an unfiltered list.
    if (typeof rawFilter !== "string") throw ScimError.invalidFilter("'filter' must be a string");
    filter = parseFilter(rawFilter);
  }
  const rawCursor = param("cursor");
  if (rawCursor !== undefined && rawCursor !== null) {
    if (typeof rawCursor !== "string") throw new ScimError(400, "'cursor' must be a string", "invalidCursor");
    const startIndex = param("startIndex");
    if (startIndex !== undefined && startIndex !== null && startIndex !== "") {
      throw ScimError.invalidValue("A request pages either by 'startIndex' or by 'cursor', not both");
    }
  }
  const cursor = typeof rawCursor === "string" ? rawCursor.trim() : undefined;
  return {
    filter,
    page: cursor === undefined ? parsePage(param("startIndex"), param("count")) : { startIndex: 1, count: parseCursorCount(param("count")) },
    ...(cursor === undefined ? {} : { cursor }),
    sort: parseSort(param("sortBy"), param("sortOrder")),
    projection: parseProjection(param("attributes"), param("excludedAttributes"), schema),
  };
}

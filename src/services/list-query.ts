/**
 * A parsed list request → the list query of a resource type (filter and sort compiled to SQL, index
 * or cursor paging), and the page's cursors once its rows are read.
 */
import type { ListQuery } from "../db/list-page";
import { cursorPage, mintCursor, readCursor, type CursorBinding, type CursorMac, type CursorState } from "../scim/cursor";
import { ScimError } from "../scim/errors";
import { formatFilter } from "../scim/filter/format";
import type { ListRequest } from "../scim/list-request";
import type { ResourceSchema } from "../scim/schemas";
import type { AttributeMap } from "../scim/sql/attribute-map";
import { compileFilter } from "../scim/sql/filter";
import { beyond, listOrder, type SortValue } from "../scim/sql/keyset";
import { compileSortKey, type SortKey } from "../scim/sql/sort";
import type { OrgScope } from "./scope";

/** A row as a list page reads it: with its sort value when the page is a cursor page. */
export interface ListedRow {
  id: string;
  sortKey?: SortValue;
}

export interface ListPlan {
  query: ListQuery;
  /**
   * The page's rows and cursors from what the query read (`otherSide`: whether its probe found a row).
   * Index pages are returned as read, without cursors.
   */
  page<T extends ListedRow>(rows: T[], otherSide: boolean): Promise<{ rows: T[]; nextCursor?: string; previousCursor?: string }>;
}

export function cursorsUnavailable(): ScimError {
  return new ScimError(
    501,
    "Cursor pagination is not available on this deployment (it has no CURSOR_SECRET); page with startIndex and count",
  );
}

/**
 * Plans a list request. `defaultOrder` is the column lists are ordered by without `sortBy` (never
 * NULL, ascending); `mac` signs and checks cursors, undefined when the deployment has no secret.
 */
export async function listPlan(
  scope: Pick<OrgScope, "orgId" | "now">,
  request: ListRequest,
  resource: ResourceSchema,
  map: AttributeMap,
  defaultOrder: string,
  mac: CursorMac | undefined,
): Promise<ListPlan> {
  const { sortBy, sortOrder } = request.sort;
  const where = request.filter && compileFilter(request.filter, resource, map, scope.orgId);
  const key: SortKey = sortBy ? compileSortKey(sortBy, sortOrder, resource, map) : { expr: defaultOrder, notNull: true, descending: false };
  const { count, startIndex } = request.page;
  if (request.cursor === undefined) {
    return {
      query: { where, orderBy: listOrder(key, map.rowId), offset: startIndex - 1, limit: count },
      page: async (rows) => ({ rows }),
    };
  }
  if (!mac) throw cursorsUnavailable();
  const binding: CursorBinding = {
    orgId: scope.orgId,
    resourceType: resource.name,
    filter: request.filter ? formatFilter(request.filter) : "",
    sort: sortBy ? `${sortBy.toLowerCase()} ${sortOrder}` : "",
  };
  const now = scope.now();
  const state: CursorState | undefined = request.cursor ? await readCursor(request.cursor, binding, mac, now, count) : undefined;
  const id = map.rowId;
  const query: ListQuery = {
    where,
    // A page before the position is read nearest first, in reverse, and turned round by cursorPage.
    orderBy: listOrder(key, id, state?.side === "before"),
    offset: 0,
    // One row more than the page says whether another page follows.
    limit: count === 0 ? 0 : count + 1,
    keyset: {
      sortKey: key.expr,
      position: state && beyond(key, id, state.position, state.side, state.inclusive),
      probe: state && count > 0 ? beyond(key, id, state.position, state.side === "after" ? "before" : "after", !state.inclusive) : undefined,
    },
  };
  return {
    query,
    async page(rows, otherSide) {
      const result = cursorPage(state, count, rows, otherSide, (row) => ({ value: row.sortKey ?? null, id: row.id }));
      const mint = (cursor: typeof result.next) => cursor && mintCursor({ ...cursor, count, issuedAt: now }, binding, mac);
      const [nextCursor, previousCursor] = await Promise.all([mint(result.next), mint(result.previous)]);
      return { rows: result.rows, nextCursor, previousCursor };
    },
  };
}

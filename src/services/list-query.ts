/** A parsed list request → the list query of a resource type (filter and sort compiled to SQL). */
import type { ListQuery } from "../db/list-page";
import type { AttributeMap } from "../scim/sql/attribute-map";
import { compileFilter } from "../scim/sql/filter";
import { compileSort } from "../scim/sql/sort";
import type { ListRequest } from "../scim/list-request";
import type { ResourceSchema } from "../scim/schemas";

export function listQuery(
  request: ListRequest,
  resource: ResourceSchema,
  map: AttributeMap,
  orgId: string,
  defaultOrder: string,
): ListQuery {
  const { sortBy, sortOrder } = request.sort;
  return {
    where: request.filter && compileFilter(request.filter, resource, map, orgId),
    orderBy: sortBy ? compileSort(sortBy, sortOrder, resource, map) : defaultOrder,
    idDescending: Boolean(sortBy) && sortOrder === "descending",
    offset: request.page.startIndex - 1,
    limit: request.page.count,
  };
}

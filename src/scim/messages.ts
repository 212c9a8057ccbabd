/** SCIM message envelopes (RFC 7644 §3.4.2). */
export const LIST_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:ListResponse";

export interface ListResponse<T> {
  schemas: [typeof LIST_RESPONSE_URN];
  totalResults: number;
  /** Index paging only: a cursor page has no index (RFC 9865). */
  startIndex?: number;
  itemsPerPage: number;
  previousCursor?: string;
  nextCursor?: string;
  Resources: T[];
}

/** The cursors of a cursor page (RFC 9865): each left out where there is no page that way. */
export interface PageCursors {
  nextCursor?: string;
  previousCursor?: string;
}

/** A ListResponse; with `cursors`, a cursor page: no `startIndex`, and the cursors it has. */
export function listResponse<T>(resources: T[], totalResults: number, startIndex = 1, cursors?: PageCursors): ListResponse<T> {
  if (!cursors) {
    return { schemas: [LIST_RESPONSE_URN], totalResults, startIndex, itemsPerPage: resources.length, Resources: resources };
  }
  const response: ListResponse<T> = { schemas: [LIST_RESPONSE_URN], totalResults, itemsPerPage: resources.length, Resources: [] };
  if (cursors.previousCursor) response.previousCursor = cursors.previousCursor;
  if (cursors.nextCursor) response.nextCursor = cursors.nextCursor;
  // Resources last, as in every list (the group list streams it after the envelope).
  delete (response as Partial<ListResponse<T>>).Resources;
  response.Resources = resources;
  return response;
}

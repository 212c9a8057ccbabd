/** Protocol limits, advertised in ServiceProviderConfig and enforced by the routes. One place for each. */

/** Largest page a list returns (`filter.maxResults`); larger `count`s are clamped to it. */
export const MAX_RESULTS = 200;
/** Page size when the client sends no `count`. */
export const DEFAULT_COUNT = 100;
/**
 * bulk.maxOperations and bulk.maxPayloadSize: a BulkRequest with more operations, or a larger body,
 * is refused with 413. Some clients also chunk PATCH operations by maxOperations (authentik), so a
 * PATCH with more operations than this is refused with 413 too.
 */
export const BULK_MAX_OPERATIONS = 1000;
export const BULK_MAX_PAYLOAD_BYTES = 1024 * 1024;
export const USERS_BODY_LIMIT_BYTES = 1024 * 1024;
export const GROUPS_BODY_LIMIT_BYTES = 8 * 1024 * 1024;
/**
 * Longest group displayName and externalId, in characters. A group row holds each twice (value and
 * folded or JSON copy), and D1 refuses rows over 2,000,000 bytes; IdPs use far shorter names.
 */
export const GROUP_TEXT_MAX_LENGTH = 1024;
/** Everything else under /scim/v2 (discovery, /Bulk, /Me, unknown paths). */
export const DEFAULT_BODY_LIMIT_BYTES = 1024 * 1024;
/**
 * Largest stored resource (its canonical JSON, in UTF-8 bytes). A D1 row holds at most 2 MB and a user
 * row keeps the resource twice (as sent and case-folded) plus its userName twice, so a resource that
 * fits the 1 MiB body limit could still not be stored; such a request gets 413, never a 500.
 */
export const MAX_STORED_RESOURCE_BYTES = 256 * 1024;

/**
 * Discovery documents (RFC 7644 §4): ServiceProviderConfig, ResourceTypes and Schemas, rendered from
 * the schema registry so that what is advertised is exactly what is implemented.
 */
import { CURSOR_TIMEOUT_SECONDS } from "./cursor";
import { BULK_MAX_OPERATIONS, BULK_MAX_PAYLOAD_BYTES, DEFAULT_COUNT, MAX_RESULTS } from "./limits";
import { listResponse } from "./messages";
import { RESOURCE_TYPES, SCHEMAS, type ResourceTypeDef, type SchemaDef } from "./schemas";

const SPC_URN = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig";
const RESOURCE_TYPE_URN = "urn:ietf:params:scim:schemas:core:2.0:ResourceType";
const SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Schema";

export const DOCUMENTATION_URI = "https://github.com/edge-scim/edge-scim#readme";

/**
 * `cursorPaging`: whether this deployment can sign cursors (it has a CURSOR_SECRET); without one,
 * cursor pagination is advertised as unsupported and requests for it get 501.
 */
export function serviceProviderConfig(baseUrl: string, options: { cursorPaging: boolean }) {
  return {
    schemas: [SPC_URN],
    documentationUri: DOCUMENTATION_URI,
    patch: { supported: true },
    bulk: { supported: true, maxOperations: BULK_MAX_OPERATIONS, maxPayloadSize: BULK_MAX_PAYLOAD_BYTES },
    filter: { supported: true, maxResults: MAX_RESULTS },
    changePassword: { supported: false },
    sort: { supported: true },
    etag: { supported: true },
    // RFC 9865: index paging stays the default (clients that send neither get what they always got).
    pagination: {
      cursor: options.cursorPaging,
      index: true,
      defaultPaginationMethod: "index",
      defaultPageSize: DEFAULT_COUNT,
      maxPageSize: MAX_RESULTS,
      ...(options.cursorPaging ? { cursorTimeout: CURSOR_TIMEOUT_SECONDS } : {}),
    },
    authenticationSchemes: [
      {
        type: "oauthbearertoken",
        name: "OAuth Bearer Token",
        description: "A SCIM token minted by the organization's admin, sent as 'Authorization: Bearer <token>'.",
        specUri: "https://www.rfc-editor.org/rfc/rfc6750",
        documentationUri: DOCUMENTATION_URI,
        primary: true,
      },
    ],
    meta: {
      resourceType: "ServiceProviderConfig",
      location: `${baseUrl}/ServiceProviderConfig`,
    },
  };
}

function resourceTypeDocument(baseUrl: string, rt: ResourceTypeDef) {
  return {
    schemas: [RESOURCE_TYPE_URN],
    id: rt.id,
    name: rt.name,
    endpoint: rt.endpoint,
    description: rt.description,
    schema: rt.schema,
    schemaExtensions: rt.schemaExtensions,
    meta: { resourceType: "ResourceType", location: `${baseUrl}/ResourceTypes/${rt.id}` },
  };
}

function schemaDocument(baseUrl: string, schema: SchemaDef) {
  return {
    schemas: [SCHEMA_URN],
    id: schema.id,
    name: schema.name,
    description: schema.description,
    attributes: schema.attributes,
    meta: { resourceType: "Schema", location: `${baseUrl}/Schemas/${schema.id}` },
  };
}

export function resourceTypes(baseUrl: string) {
  return listResponse(RESOURCE_TYPES.map((rt) => resourceTypeDocument(baseUrl, rt)), RESOURCE_TYPES.length);
}

export function resourceType(baseUrl: string, id: string) {
  const rt = RESOURCE_TYPES.find((r) => r.id === id);
  return rt ? resourceTypeDocument(baseUrl, rt) : undefined;
}

export function schemas(baseUrl: string) {
  return listResponse(SCHEMAS.map((s) => schemaDocument(baseUrl, s)), SCHEMAS.length);
}

export function schema(baseUrl: string, id: string) {
  // Schema URNs are compared case-insensitively, as attribute names are (RFC 7643 §2.1).
  const found = SCHEMAS.find((s) => s.id.toLowerCase() === id.toLowerCase());
  return found ? schemaDocument(baseUrl, found) : undefined;
}

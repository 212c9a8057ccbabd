import type { SchemaDef } from "./types";

/**
 * A resource type's schemas as protocol code consumes them: its core schema and its extensions. The
 * common attributes (id, externalId, meta) are implied. Filters, PATCH, projection and the resource
 * contract all take one of these, so that Groups reuses them with its own.
 */
export interface ResourceSchema {
  /** The resource type name, as in `meta.resourceType`. */
  name: string;
  core: SchemaDef;
  extensions: SchemaDef[];
}

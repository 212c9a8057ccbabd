/**
 * Attribute paths resolved against a resource's schemas: the one place where names written by clients
 * (any case, with or without a schema URN, dotted sub-attributes) become schema definitions.
 */
import { commonAttributes, type AttributeDef, type ResourceSchema, type SchemaDef } from "./schemas";

/** An attribute path as written (RFC 7644 §3.10): `[URN ":"] name ["." sub]`. */
export interface AttrPath {
  uri?: string;
  name: string;
  sub?: string;
}

/** A path resolved to definitions. */
export interface AttributeRef {
  /** The extension whose URN keys the attribute's container; undefined for core and common attributes. */
  extension?: SchemaDef;
  attr: AttributeDef;
  sub?: AttributeDef;
}

// RFC 7643 §2.1 ATTRNAME, plus "$ref", which the RFC itself uses as a sub-attribute name.
const ATTRNAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;

/** Splits an attribute path; undefined when it is not syntactically one. */
export function splitAttrPath(text: string): AttrPath | undefined {
  let uri: string | undefined;
  let rest = text;
  const colon = text.lastIndexOf(":");
  if (colon !== -1) {
    // Only a URN may carry colons; its last segment is the attribute path.
    if (!/^urn:/i.test(text)) return undefined;
    uri = text.slice(0, colon);
    rest = text.slice(colon + 1);
  }
  const parts = rest.split(".");
  if (parts.length > 2 || !parts.every((p) => ATTRNAME.test(p))) return undefined;
  return parts.length === 2 ? { uri, name: parts[0], sub: parts[1] } : { uri, name: parts[0] };
}

export function formatAttrPath(path: AttrPath): string {
  return `${path.uri ? `${path.uri}:` : ""}${path.name}${path.sub ? `.${path.sub}` : ""}`;
}

/** Attribute names are case-insensitive (RFC 7643 §2.1). */
export function findAttribute(defs: readonly AttributeDef[] | undefined, name: string): AttributeDef | undefined {
  const lower = name.toLowerCase();
  return defs?.find((d) => d.name.toLowerCase() === lower);
}

export function schemaByUrn(resource: ResourceSchema, urn: string): SchemaDef | undefined {
  const lower = urn.toLowerCase();
  return [resource.core, ...resource.extensions].find((s) => s.id.toLowerCase() === lower);
}

export function isExtensionUrn(resource: ResourceSchema, urn: string): SchemaDef | undefined {
  const schema = schemaByUrn(resource, urn);
  return schema && schema !== resource.core ? schema : undefined;
}

function withSub(ref: Omit<AttributeRef, "sub">, sub: string | undefined): AttributeRef | undefined {
  if (sub === undefined) return ref;
  const subDef = findAttribute(ref.attr.subAttributes, sub);
  return subDef ? { ...ref, sub: subDef } : undefined;
}

/** Resolves a path against the resource's schemas; undefined when no published attribute has that name. */
export function resolveAttribute(resource: ResourceSchema, path: AttrPath): AttributeRef | undefined {
  if (path.uri !== undefined) {
    const schema = schemaByUrn(resource, path.uri);
    if (!schema) return undefined;
    if (schema === resource.core) {
      const attr = findAttribute(commonAttributes, path.name) ?? findAttribute(schema.attributes, path.name);
      return attr ? withSub({ attr }, path.sub) : undefined;
    }
    const attr = findAttribute(schema.attributes, path.name);
    return attr ? withSub({ extension: schema, attr }, path.sub) : undefined;
  }
  const core = findAttribute(commonAttributes, path.name) ?? findAttribute(resource.core.attributes, path.name);
  if (core) return withSub({ attr: core }, path.sub);
  // Beyond the RFC: an unqualified extension attribute name is accepted when the core has no such name.
  for (const extension of resource.extensions) {
    const attr = findAttribute(extension.attributes, path.name);
    if (attr) return withSub({ extension, attr }, path.sub);
  }
  return undefined;
}

/** The canonical spelling of a resolved path, e.g. `name.givenName` or `urn:…:User:manager.value`. */
export function canonicalPath(ref: AttributeRef): string {
  return formatAttrPath({ uri: ref.extension?.id, name: ref.attr.name, sub: ref.sub?.name });
}

/** The key attribute maps use: the canonical path, lower-cased. */
export function pathKey(ref: AttributeRef): string {
  return canonicalPath(ref).toLowerCase();
}

/** The object holding the attribute inside a stored resource: the resource itself or its extension object. */
export function containerOf(resource: Record<string, unknown>, ref: Pick<AttributeRef, "extension">) {
  if (!ref.extension) return resource;
  const ext = resource[ref.extension.id];
  return ext && typeof ext === "object" && !Array.isArray(ext) ? (ext as Record<string, unknown>) : undefined;
}

/** Whether a resource's stored JSON holds the attribute (id, meta and server-derived ones are not). */
export function isStored(ref: AttributeRef): boolean {
  return [ref.attr, ref.sub].every((d) => !d || (d.mutability !== "readOnly" && d.returned !== "never"));
}

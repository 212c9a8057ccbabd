/**
 * The canonical stored form of a resource, and its folded twin.
 *
 * Stored JSON holds client-writable attributes only (no id, meta, server-derived or write-only ones),
 * under canonical names, in schema order, extensions under their URN. Fixed order makes "did this
 * write change anything?" a string comparison, and lets json_extract address values by canonical path.
 */
import { isExtensionUrn, isStored } from "../attributes";
import { commonAttributes, foldsCase, type AttributeDef, type ResourceSchema } from "../schemas";
import { fold } from "../text";
import { coerceValue, isObject, type Json } from "../values";

function storedAttributes(attributes: AttributeDef[]): AttributeDef[] {
  return attributes.filter((attr) => isStored({ attr }));
}

function canonicalContainer(attributes: AttributeDef[], source: Json | undefined): Json {
  const out: Json = {};
  if (!source) return out;
  for (const attr of storedAttributes(attributes)) {
    const value = coerceValue(attr, source[attr.name]);
    if (value !== undefined) out[attr.name] = value;
  }
  return out;
}

/** Re-coerces and re-orders a resource whose keys are already canonical; drops what is not stored. */
export function canonicalResource(resource: Json, schema: ResourceSchema): Json {
  const out = canonicalContainer([...commonAttributes, ...schema.core.attributes], resource);
  for (const extension of schema.extensions) {
    const ext = resource[extension.id];
    const values = canonicalContainer(extension.attributes, isObject(ext) ? ext : undefined);
    if (Object.keys(values).length) out[extension.id] = values;
  }
  return out;
}

function foldValue(def: AttributeDef, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => foldValue({ ...def, multiValued: false }, v));
  if (def.type === "complex" && isObject(value)) {
    const out: Json = {};
    for (const sub of def.subAttributes ?? []) {
      if (value[sub.name] !== undefined) out[sub.name] = foldValue(sub, value[sub.name]);
    }
    return out;
  }
  return foldsCase(def) && typeof value === "string" ? fold(value) : value;
}

function foldContainer(attributes: AttributeDef[], source: Json): Json {
  const out: Json = {};
  for (const attr of attributes) {
    if (source[attr.name] !== undefined) out[attr.name] = foldValue(attr, source[attr.name]);
  }
  return out;
}

/**
 * The canonical resource with every caseExact=false string folded (and the others untouched): the
 * JSON that filters and sorts read, so that case-insensitive comparison is Unicode-correct in SQL.
 */
export function foldedResource(resource: Json, schema: ResourceSchema): Json {
  const out = foldContainer([...commonAttributes, ...schema.core.attributes], resource);
  for (const [key, value] of Object.entries(resource)) {
    const extension = isExtensionUrn(schema, key);
    if (extension && isObject(value)) out[extension.id] = foldContainer(extension.attributes, value);
  }
  return out;
}

/** A stored resource as the queries return it: the canonical JSON plus what the server keeps beside it. */
export interface StoredResource {
  id: string;
  version: number;
  createdAt: number;
  lastModified: number;
  data: string;
}

/** `<base>/<endpoint>/<id>`, the resource's location and the `$ref` of references to it. */
export function resourceLocation(baseUrl: string, endpoint: "Users" | "Groups", id: string): string {
  return `${baseUrl}/${endpoint}/${encodeURIComponent(id)}`;
}

/** The `meta` of a rendered resource (RFC 7643 §3.1). */
export function resourceMeta(resourceType: string, stored: StoredResource, location: string, etag: string): Json {
  return {
    resourceType,
    created: new Date(stored.createdAt).toISOString(),
    lastModified: new Date(stored.lastModified).toISOString(),
    location,
    version: etag,
  };
}

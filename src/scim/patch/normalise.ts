/**
 * PATCH requests (RFC 7644 §3.5.2) as every client sends them → one canonical list of operations.
 *
 * Tolerated on the way in: op names in any case; attribute names in any case; paths with a schema
 * URN prefix, a sub-attribute, a value filter or a value filter plus sub-attribute; a path that is a
 * whole extension's URN; no-path values whose keys are nested objects, dotted (`name.givenName`) or
 * URN-qualified; string booleans; `null`/`""` meaning "clear". No-path values are expanded into one
 * operation per attribute, so consumers only ever see operations with a path.
 *
 * Read-only attributes inside a value (`id`, `meta`, `groups`) are ignored, as in a POST body; a path
 * naming one explicitly → 400 mutability. Write-only attributes (`password`) are accepted and dropped.
 *
 * The result is consumed by an applier: `applyPatch` for in-memory resources, or a resource-specific
 * one (Groups turns `members` operations into SQL set operations).
 */
import { findAttribute, isStored, resolveAttribute, schemaByUrn, splitAttrPath, canonicalPath } from "../attributes";
import { jsonType, ScimError } from "../errors";
import { formatFilter } from "../filter/format";
import { BULK_MAX_OPERATIONS } from "../limits";
import type { ResourceSchema, SchemaDef } from "../schemas";
import { coerceSingle, coerceValue, getIgnoringCase, isObject, type Json } from "../values";
import { parsePatchPath, type PatchPath } from "./path";

export type PatchOpName = "add" | "remove" | "replace";

export interface PatchOperation {
  op: PatchOpName;
  path: PatchPath;
  /**
   * add/replace: the coerced value — a list for a multi-valued attribute, one value object for a
   * filtered path, a single value for a sub-attribute or singular attribute.
   * remove: unset, or the values to remove from a multi-valued attribute (`members` with a value list).
   */
  value?: unknown;
}

const OP_NAMES: readonly PatchOpName[] = ["add", "remove", "replace"];

export function describePath(path: PatchPath): string {
  const base = canonicalPath(path.attribute);
  return `${base}${path.filter ? `[${formatFilter(path.filter)}]` : ""}${path.sub ? `.${path.sub.name}` : ""}`;
}

/**
 * The operation for one target and one raw value; undefined when it is to be dropped (write-only
 * attributes, read-only ones reached through a no-path value, adding an empty list).
 */
function operationFor(op: PatchOpName, path: PatchPath, raw: unknown, explicit: boolean): PatchOperation | undefined {
  const { attr } = path.attribute;
  const defs = path.sub ? [attr, path.sub] : [attr];
  if (defs.some((d) => d.mutability === "writeOnly" || d.returned === "never")) return undefined;
  if (!isStored({ attr, sub: path.sub })) {
    if (!explicit) return undefined;
    throw new ScimError(400, `'${describePath(path)}' is read-only`, "mutability");
  }
  const name = describePath(path);
  const listTarget = attr.multiValued && !path.filter && !path.sub;
  if (op === "remove") {
    if (!listTarget || raw === undefined || raw === null) return { op, path };
    // Removing listed values (Entra's members removal); an empty list removes nothing, not everything.
    const values = coerceValue(attr, raw, name);
    return values === undefined ? undefined : { op, path, value: values };
  }
  let value: unknown;
  if (path.sub) value = coerceValue(path.sub, raw, name);
  else if (path.filter) value = coerceSingle({ ...attr, multiValued: false }, raw, name);
  else value = coerceValue(attr, raw, name);
  if (value !== undefined) return { op, path, value };
  // null or "" clears; but adding an empty list adds nothing.
  if (op === "add" && Array.isArray(raw)) return undefined;
  return { op: "remove", path };
}

function removeSchema(schema: SchemaDef, resource: ResourceSchema): PatchOperation[] {
  const extension = schema === resource.core ? undefined : schema;
  return schema.attributes
    .filter((attr) => isStored({ attr }))
    .map((attr) => ({ op: "remove" as const, path: { attribute: { extension, attr } } }));
}

/**
 * Expands an object of attributes (a no-path PATCH value, or a whole POST/PUT body) into one
 * operation per attribute. Keys that name nothing in the schemas are ignored.
 */
export function expandValue(op: "add" | "replace", value: Json, resource: ResourceSchema): PatchOperation[] {
  const out: PatchOperation[] = [];
  const push = (operation: PatchOperation | undefined) => operation && out.push(operation);
  for (const [key, raw] of Object.entries(value)) {
    if (key.toLowerCase() === "schemas") continue;
    const schema = schemaByUrn(resource, key);
    if (schema) {
      if (isObject(raw)) {
        // Qualify the inner keys so that they resolve within this schema only.
        const qualified = Object.fromEntries(Object.entries(raw).map(([k, v]) => [`${schema.id}:${k}`, v]));
        out.push(...expandValue(op, qualified, resource));
      } else if ((raw === null || raw === "") && schema !== resource.core) {
        out.push(...removeSchema(schema, resource));
      }
      continue;
    }
    const path = splitAttrPath(key);
    const ref = path && resolveAttribute(resource, path);
    if (!ref) continue;
    const attribute = { extension: ref.extension, attr: ref.attr };
    if (!ref.sub && ref.attr.type === "complex" && !ref.attr.multiValued && isObject(raw)) {
      // Sub-attributes one by one: those not mentioned stay as they are, and a null clears just that one.
      for (const [subKey, subRaw] of Object.entries(raw)) {
        const sub = findAttribute(ref.attr.subAttributes, subKey);
        if (sub) push(operationFor(op, { attribute, sub }, subRaw, false));
      }
      continue;
    }
    push(operationFor(op, { attribute, sub: ref.sub }, raw, false));
  }
  return out;
}

function noPathValue(value: unknown, index: number): Json {
  // Some clients wrap the object in a one-element list.
  const object = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (!isObject(object)) {
    throw ScimError.invalidValue(`Operations[${index}]: an operation without a path needs an object of attributes as its value`);
  }
  return object;
}

/** Normalises a PatchOp request body; throws ScimError 400 (invalidSyntax, invalidPath, invalidValue, mutability, noTarget) or 413. */
export function normalisePatch(body: Json, resource: ResourceSchema): PatchOperation[] {
  const operations = getIgnoringCase(body, "Operations");
  if (!Array.isArray(operations)) throw ScimError.invalidSyntax("A PATCH body needs an 'Operations' list");
  if (operations.length > BULK_MAX_OPERATIONS) {
    throw new ScimError(413, `A PATCH may carry at most ${BULK_MAX_OPERATIONS} operations`);
  }
  const out: PatchOperation[] = [];
  operations.forEach((raw, index) => {
    if (!isObject(raw)) throw ScimError.invalidSyntax(`Operations[${index}] must be an object`);
    const opRaw = getIgnoringCase(raw, "op");
    const op = typeof opRaw === "string" ? (opRaw.trim().toLowerCase() as PatchOpName) : undefined;
    if (!op || !OP_NAMES.includes(op)) {
      throw ScimError.invalidSyntax(
        `Operations[${index}].op must be add, remove or replace, not ${JSON.stringify(opRaw)}`,
        `Operations[${index}].op must be add, remove or replace, not ${opRaw === undefined ? "missing" : `another ${jsonType(opRaw).replace(/^an? /, "")}`}`,
      );
    }
    const pathRaw = getIgnoringCase(raw, "path");
    const value = getIgnoringCase(raw, "value");
    if (pathRaw === undefined || pathRaw === null || pathRaw === "") {
      if (op === "remove") throw new ScimError(400, `Operations[${index}]: remove needs a path`, "noTarget");
      out.push(...expandValue(op, noPathValue(value, index), resource));
      return;
    }
    if (typeof pathRaw !== "string") throw ScimError.invalidPath(`Operations[${index}].path must be a string`);
    const parsed = parsePatchPath(pathRaw, resource);
    if (parsed.kind === "schema") {
      if (op === "remove") out.push(...removeSchema(parsed.schema, resource));
      else out.push(...expandValue(op, { [parsed.schema.id]: value }, resource));
      return;
    }
    const operation = operationFor(op, parsed.path, value, true);
    if (operation) out.push(operation);
  });
  return out;
}

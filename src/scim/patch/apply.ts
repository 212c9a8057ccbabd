/**
 * Applies normalised PATCH operations to a resource in memory (the stored JSON form). All operations
 * apply to a copy, so a request that fails halfway leaves nothing changed.
 */
import { findAttribute } from "../attributes";
import { ScimError } from "../errors";
import type { Filter } from "../filter/ast";
import { matchesValue } from "../filter/evaluate";
import { canonicalResource } from "../resource/canonical";
import { foldsCase, type AttributeDef, type ResourceSchema } from "../schemas";
import { fold } from "../text";
import { coerceSingle, isObject, keepOnePrimary, type Json } from "../values";
import { describePath, type PatchOperation } from "./normalise";

function containerFor(resource: Json, operation: PatchOperation): Json | undefined {
  const { extension } = operation.path.attribute;
  if (!extension) return resource;
  const existing = resource[extension.id];
  if (isObject(existing)) return existing;
  if (operation.op === "remove") return undefined;
  const created: Json = {};
  resource[extension.id] = created;
  return created;
}

/**
 * The value a filter describes, for creating one when a filtered add/replace matches nothing:
 * only a conjunction of `eq` terms (`type eq "work"`) says what to create.
 */
function seedFromFilter(filter: Filter, attr: AttributeDef): Json | undefined {
  if (filter.type === "and") {
    const parts = filter.filters.map((f) => seedFromFilter(f, attr));
    return parts.every((p) => p) ? Object.assign({}, ...parts) : undefined;
  }
  if (filter.type !== "compare" || filter.op !== "eq") return undefined;
  const sub = findAttribute(attr.subAttributes, filter.path.name);
  const value = sub && coerceSingle(sub, filter.value, `${attr.name}.${sub.name}`);
  return sub && value !== undefined ? { [sub.name]: value } : undefined;
}

/** Two values of a multi-valued attribute are the same value when their `value`s are equal. */
function sameValue(attr: AttributeDef, a: unknown, b: unknown): boolean {
  const valueDef = findAttribute(attr.subAttributes, "value");
  if (!valueDef || !isObject(a) || !isObject(b)) return JSON.stringify(a) === JSON.stringify(b);
  const norm = (v: unknown) => (typeof v === "string" && foldsCase(valueDef) ? fold(v) : v);
  return norm(a.value) === norm(b.value);
}

function without(object: Json, key: string): Json {
  const { [key]: _removed, ...rest } = object;
  return rest;
}

function applyToList(list: unknown[], operation: PatchOperation): unknown[] {
  const { op, path, value } = operation;
  const { attr } = path.attribute;
  if (!path.filter && !path.sub) {
    if (op === "replace") return value as unknown[];
    if (op === "add") return keepOnePrimary([...list, ...(value as unknown[])], new Set(value as unknown[]));
    if (value === undefined) return [];
    return list.filter((element) => !(value as unknown[]).some((v) => sameValue(attr, element, v)));
  }
  const selected = new Set(
    path.filter ? list.filter((element) => matchesValue(path.filter!, element, attr, ScimError.invalidPath)) : list,
  );
  const sub = path.sub;
  if (op === "remove") {
    // Removing what is not there succeeds.
    if (!sub) return list.filter((element) => !selected.has(element));
    return list.map((element) => (selected.has(element) && isObject(element) ? without(element, sub.name) : element));
  }
  if (selected.size === 0) {
    // Deliberate deviation from RFC 7644's noTarget: Entra adds through filters that match nothing yet
    // (`phoneNumbers[type eq "mobile"].value`) and expects the value to be created.
    const seed = path.filter ? seedFromFilter(path.filter, attr) : {};
    if (!seed) {
      throw new ScimError(400, `No value matches '${describePath(path)}', and its filter does not describe one to create`, "noTarget");
    }
    const created = sub ? { ...seed, [sub.name]: value } : { ...seed, ...(value as Json) };
    return keepOnePrimary([...list, created], new Set([created]));
  }
  // A replaced value keeps what its filter pinned (`type eq "work"`), so that it is still the value
  // the path names, and repeating the request changes nothing.
  const pinned = op === "replace" && !sub && path.filter ? (seedFromFilter(path.filter, attr) ?? {}) : {};
  const written = new Set<unknown>();
  const next = list.map((element) => {
    if (!selected.has(element)) return element;
    const base = isObject(element) ? element : {};
    const result = sub ? { ...base, [sub.name]: value } : op === "replace" ? { ...pinned, ...(value as Json) } : { ...base, ...(value as Json) };
    written.add(result);
    return result;
  });
  return keepOnePrimary(next, written);
}

/** Applies one operation to `resource` in place. */
export function applyOperation(resource: Json, operation: PatchOperation): void {
  const { op, path, value } = operation;
  const { attr } = path.attribute;
  const container = containerFor(resource, operation);
  if (!container) return;
  const current = container[attr.name];
  if (attr.multiValued) {
    container[attr.name] = applyToList(Array.isArray(current) ? current : [], operation);
  } else if (path.sub) {
    if (op === "remove") {
      if (isObject(current)) container[attr.name] = without(current, path.sub.name);
    } else {
      container[attr.name] = { ...(isObject(current) ? current : {}), [path.sub.name]: value };
    }
  } else if (op === "remove") {
    delete container[attr.name];
  } else if (attr.type === "complex" && isObject(current) && isObject(value)) {
    // RFC 7644 §3.5.2.1/3: sub-attributes not given in the value are left as they are.
    container[attr.name] = { ...current, ...value };
  } else {
    container[attr.name] = value;
  }
}

/** Applies all operations to a copy of `resource` and returns it in canonical stored form. */
export function applyPatch(resource: Json, operations: PatchOperation[], schema: ResourceSchema): Json {
  const working = structuredClone(resource);
  for (const operation of operations) applyOperation(working, operation);
  return canonicalResource(working, schema);
}

/**
 * Client values → the attribute's type (RFC 7643 §2.3), tolerantly: string booleans ("True") become
 * booleans, numbers become strings where a string is expected, `null` and `""` mean absent, a lone
 * object stands for a one-element list, unknown and read-only sub-attributes are dropped. Anything
 * that still does not fit → 400 invalidValue.
 *
 * Coercion is idempotent, so the same functions also put a stored resource in canonical form.
 */
import { findAttribute } from "./attributes";
import { jsonType, ScimError } from "./errors";
import { parseInstant } from "./instant";
import type { AttributeDef } from "./schemas";

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** A member of a JSON object by case-insensitive name (message attributes are case-insensitive too). */
export function getIgnoringCase(object: Json, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function wrong(name: string, expected: string, raw: unknown): ScimError {
  const shown = JSON.stringify(raw);
  return ScimError.invalidValue(
    `'${name}' must be ${expected}, not ${shown.length > 60 ? `${shown.slice(0, 57)}...` : shown}`,
    `'${name}' must be ${expected}, not ${jsonType(raw)}`,
  );
}

/** Whether a sub-attribute may be set by clients and kept (read-only ones are the server's to set). */
function isClientSettable(def: AttributeDef): boolean {
  return def.mutability !== "readOnly" && def.returned !== "never";
}

function coerceSimple(def: AttributeDef, raw: unknown, name: string): unknown {
  switch (def.type) {
    case "string":
    case "reference":
    case "binary":
      if (typeof raw === "string") return raw;
      if (typeof raw === "number" && Number.isFinite(raw)) return String(raw);
      throw wrong(name, "a string", raw);
    case "boolean": {
      if (typeof raw === "boolean") return raw;
      const text = typeof raw === "string" ? raw.trim().toLowerCase() : undefined;
      if (text === "true" || text === "false") return text === "true";
      throw wrong(name, "true or false", raw);
    }
    case "integer":
    case "decimal": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (def.type === "integer" && !Number.isInteger(n))) {
        throw wrong(name, def.type === "integer" ? "an integer" : "a number", raw);
      }
      return n;
    }
    case "dateTime":
      if (typeof raw === "string" && parseInstant(raw)) return raw;
      throw wrong(name, "an RFC 3339 date-time", raw);
    case "complex":
      throw new Error("coerceSimple on a complex attribute");
  }
}

function coerceComplex(def: AttributeDef, raw: Json, name: string): Json | undefined {
  // Case-insensitive keys; if a client sends both "value" and "Value", the later one wins.
  const byName = new Map<string, unknown>();
  for (const [key, value] of Object.entries(raw)) {
    const sub = findAttribute(def.subAttributes, key);
    if (sub && isClientSettable(sub)) byName.set(sub.name, value);
  }
  const out: Json = {};
  for (const sub of def.subAttributes ?? []) {
    if (!byName.has(sub.name)) continue;
    const value = coerceValue(sub, byName.get(sub.name), `${name}.${sub.name}`);
    if (value !== undefined) out[sub.name] = value;
  }
  return Object.keys(out).length ? out : undefined;
}

/** One value of the attribute, ignoring `multiValued` (an element of a list, or a singular value). */
export function coerceSingle(def: AttributeDef, raw: unknown, name: string): unknown {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (def.type !== "complex") return coerceSimple(def, raw, name);
  if (Array.isArray(raw)) {
    // Entra sends a singular complex value (manager) wrapped in a one-element list now and then.
    if (raw.length === 0) return undefined;
    if (raw.length === 1 && !def.multiValued) return coerceSingle(def, raw[0], name);
    throw wrong(name, "an object", raw);
  }
  if (isObject(raw)) return coerceComplex(def, raw, name);
  // A bare value for a complex attribute with a `value` sub-attribute: Entra's `"manager": "<id>"`.
  if (!def.multiValued && findAttribute(def.subAttributes, "value")) return coerceComplex(def, { value: raw }, name);
  throw wrong(name, "an object", raw);
}

/**
 * At most one value may be primary (RFC 7643 §2.4). The winner is the last primary among `preferred`
 * (the values an operation just wrote), else the last primary in the list.
 */
export function keepOnePrimary(values: unknown[], preferred: ReadonlySet<unknown> = new Set()): unknown[] {
  const primaries = values.filter((v) => isObject(v) && v.primary === true);
  if (primaries.length <= 1) return values;
  const fromPreferred = primaries.filter((v) => preferred.has(v));
  const winner = (fromPreferred.length ? fromPreferred : primaries).at(-1);
  return values.map((v) => {
    if (!isObject(v) || v === winner || v.primary !== true) return v;
    const { primary: _cleared, ...rest } = v;
    return rest;
  });
}

/**
 * A multi-valued attribute whose values point at resources (it has a `$ref`, as group `members` do)
 * also takes bare ids: `"<id>"` or `["<id>", …]` mean `[{ "value": "<id>" }, …]`, as Microsoft's
 * reference collection sends members. Other complex attributes (`emails`, …) still need objects.
 */
function takesBareIds(def: AttributeDef): boolean {
  return def.type === "complex" && !!findAttribute(def.subAttributes, "$ref") && !!findAttribute(def.subAttributes, "value");
}

function coerceList(def: AttributeDef, raw: unknown, name: string): unknown[] | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const bareIds = takesBareIds(def);
  const list = Array.isArray(raw) ? raw : isObject(raw) || (bareIds && typeof raw === "string") ? [raw] : undefined;
  if (!list) throw wrong(name, bareIds ? "a list of objects or ids" : "a list", raw);
  const hasValue = !!findAttribute(def.subAttributes, "value");
  const seen = new Set<string>();
  const out: unknown[] = [];
  for (const raw of list) {
    const item = bareIds && typeof raw === "string" && raw !== "" ? { value: raw } : raw;
    if (def.type === "complex" && item !== null && item !== "" && !isObject(item)) {
      throw wrong(`${name}[]`, bareIds ? "an object or an id string" : "an object", item);
    }
    const value = coerceSingle(def, item, name);
    // A multi-valued complex value without its `value` (an email without an address) means nothing.
    if (value === undefined || (hasValue && isObject(value) && value.value === undefined)) continue;
    // Canonical values have canonical key order, so equal values serialise equally.
    const key = JSON.stringify(value);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(value);
  }
  return out.length ? keepOnePrimary(out) : undefined;
}

/** Coerces a client value for `def`; undefined means absent. Throws 400 invalidValue. */
export function coerceValue(def: AttributeDef, raw: unknown, name: string = def.name): unknown {
  return def.multiValued ? coerceList(def, raw, name) : coerceSingle(def, raw, name);
}

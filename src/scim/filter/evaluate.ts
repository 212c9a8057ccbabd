/**
 * Evaluates a filter against a resource in memory, with the same semantics as the SQL compiler: PATCH
 * uses it for value filters (`emails[type eq "work"]`), and tests use it as the oracle the compiled SQL
 * is checked against.
 */
import { containerOf, findAttribute, formatAttrPath, resolveAttribute, type AttrPath } from "../attributes";
import { ScimError } from "../errors";
import { compareInstants, parseInstant } from "../instant";
import { foldsCase, type AttributeDef, type ResourceSchema } from "../schemas";
import { compareCodePoints, fold } from "../text";
import type { Filter } from "./ast";
import { typedLiteral, type TypedLiteral } from "./literal";

type Leaf = Extract<Filter, { type: "compare" | "present" }>;
type Json = Record<string, unknown>;

function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === "") return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

function asObject(value: unknown): Json | undefined {
  return value && typeof value === "object" && !Array.isArray(value) ? (value as Json) : undefined;
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function ordered(cmp: number, op: string): boolean {
  switch (op) {
    case "eq":
      return cmp === 0;
    case "gt":
      return cmp > 0;
    case "ge":
      return cmp >= 0;
    case "lt":
      return cmp < 0;
    default:
      return cmp <= 0;
  }
}

/** One stored value against one typed literal; a value that is absent or of another type never matches. */
function compareValue(value: unknown, def: AttributeDef, op: string, literal: TypedLiteral): boolean {
  if (literal.kind === "null") return !isPresent(value);
  if (!isPresent(value)) return false;
  switch (literal.kind) {
    case "boolean":
      return value === literal.value;
    case "number":
      return typeof value === "number" && ordered(value === literal.value ? 0 : value < literal.value ? -1 : 1, op);
    case "instant": {
      const instant = typeof value === "string" ? parseInstant(value) : undefined;
      return !!instant && ordered(compareInstants(instant, literal.value), op);
    }
    case "string": {
      if (typeof value !== "string") return false;
      const v = foldsCase(def) ? fold(value) : value;
      const p = literal.value;
      if (op === "co") return v.includes(p);
      if (op === "sw") return v.startsWith(p);
      if (op === "ew") return v.endsWith(p);
      return ordered(compareCodePoints(v, p), op);
    }
  }
}

function test(value: unknown, def: AttributeDef, f: Leaf, name: string): boolean {
  if (f.type === "present") return isPresent(value);
  if (f.op === "ne") return !test(value, def, { ...f, op: "eq" }, name);
  return compareValue(value, def, f.op, typedLiteral(def, f.op, f.value, name));
}

function walk(filter: Filter, leaf: (f: Leaf) => boolean, valuePath: (path: AttrPath, f: Filter) => boolean): boolean {
  switch (filter.type) {
    case "compare":
    case "present":
      return leaf(filter);
    case "and":
      return filter.filters.every((f) => walk(f, leaf, valuePath));
    case "or":
      return filter.filters.some((f) => walk(f, leaf, valuePath));
    case "not":
      return !walk(filter.filter, leaf, valuePath);
    case "valuePath":
      return valuePath(filter.path, filter.filter);
  }
}

/**
 * Whether one value of a multi-valued complex attribute matches a value filter. Paths in the filter
 * name sub-attributes of `attr`; unknown ones → 400 `fail` (invalidFilter in a query, invalidPath in PATCH).
 */
export function matchesValue(
  filter: Filter,
  element: unknown,
  attr: AttributeDef,
  fail: (detail: string) => ScimError = ScimError.invalidFilter,
): boolean {
  const object = asObject(element) ?? {};
  return walk(
    filter,
    (f) => {
      const sub = findAttribute(attr.subAttributes, f.path.name);
      if (!sub || f.path.uri !== undefined || f.path.sub !== undefined) {
        throw fail(`Unknown attribute '${attr.name}.${formatAttrPath(f.path)}'`);
      }
      return test(object[sub.name], sub, f, `${attr.name}.${sub.name}`);
    },
    () => {
      throw fail("Value filters cannot be nested");
    },
  );
}

/** Whether a resource (as rendered: canonical names, meta with ISO timestamps) matches a filter. */
export function matchesResource(filter: Filter, resource: Json, schema: ResourceSchema): boolean {
  const lookup = (path: AttrPath) => {
    const ref = resolveAttribute(schema, path);
    if (!ref) throw ScimError.invalidFilter(`Unknown attribute '${formatAttrPath(path)}'`);
    return { ref, value: containerOf(resource, ref)?.[ref.attr.name] };
  };
  return walk(
    filter,
    (f) => {
      const name = formatAttrPath(f.path);
      const { ref, value } = lookup(f.path);
      const sub = ref.sub ?? (f.type === "compare" && ref.attr.type === "complex" ? findAttribute(ref.attr.subAttributes, "value") : undefined);
      if (ref.attr.type === "complex" && !sub && f.type === "compare") {
        throw ScimError.invalidFilter(`'${name}': name a sub-attribute of this complex attribute`);
      }
      if (ref.attr.multiValued) {
        if (ref.attr.type !== "complex") throw ScimError.invalidFilter(`'${name}' cannot be filtered`);
        const values = asArray(value);
        if (!sub) return values.length > 0;
        return values.some((v) => test(asObject(v)?.[sub.name], sub, f, name));
      }
      return sub ? test(asObject(value)?.[sub.name], sub, f, name) : test(value, ref.attr, f, name);
    },
    (path, inner) => {
      const { ref, value } = lookup(path);
      if (!ref.attr.multiValued || ref.attr.type !== "complex" || ref.sub) {
        throw ScimError.invalidFilter(`'${formatAttrPath(path)}[...]': a value filter needs a multi-valued complex attribute`);
      }
      return asArray(value).some((v) => matchesValue(inner, v, ref.attr));
    },
  );
}

/**
 * Filter AST → SQL WHERE fragment with `?` placeholders, driven by an attribute map.
 *
 * Rules that keep it safe on D1:
 * - client values only ever travel as bound parameters, and at most MAX_FILTER_PARAMS of them (D1
 *   allows 100 per statement, and the query around the filter needs a few);
 * - `co`/`sw`/`ew` compile to instr/substr, never LIKE: D1 refuses LIKE patterns over 50 bytes, and
 *   LIKE folds ASCII only while our folded columns are Unicode-folded;
 * - NOT is wrapped in COALESCE(…, 0) so that a comparison with an absent (NULL) value counts as
 *   false, and its negation as true, exactly like the in-memory evaluator.
 */
import {
  canonicalPath,
  findAttribute,
  formatAttrPath,
  isStored,
  pathKey,
  resolveAttribute,
  type AttrPath,
  type AttributeRef,
} from "../attributes";
import { ScimError } from "../errors";
import { foldsCase, type AttributeDef, type ResourceSchema } from "../schemas";
import type { Filter } from "../filter/ast";
import { typedLiteral } from "../filter/literal";
import type { AttributeMap, ChildTarget, ColumnTarget } from "./attribute-map";
import { jsonPath, refSegments, valueSub } from "./paths";

export interface CompiledSql {
  sql: string;
  params: unknown[];
}

export const MAX_FILTER_PARAMS = 90;

type Leaf = Extract<Filter, { type: "compare" | "present" }>;

/** Where a scalar value lives: an expression and the definition that says how to compare it. */
interface ScalarTarget {
  expr: string;
  def: AttributeDef;
  epochMs: boolean;
}

function unknownAttribute(path: AttrPath): ScimError {
  return ScimError.invalidFilter(`Unknown attribute '${formatAttrPath(path)}'`);
}

function checkColumn(column: ColumnTarget, def: AttributeDef) {
  if (foldsCase(def) && !column.folded) throw new Error(`column ${column.sql} must hold folded text`);
}

class Compiler {
  readonly params: unknown[] = [];

  constructor(
    private readonly resource: ResourceSchema,
    private readonly map: AttributeMap,
    private readonly tenant: unknown,
  ) {}

  private bind(value: unknown): string {
    if (this.params.length >= MAX_FILTER_PARAMS) {
      throw ScimError.invalidFilter(`The filter is too complex (more than ${MAX_FILTER_PARAMS} values)`);
    }
    this.params.push(value);
    return "?";
  }

  node(filter: Filter, leaf: (f: Leaf) => string): string {
    switch (filter.type) {
      case "compare":
      case "present":
        return leaf(filter);
      case "and":
      case "or":
        return `(${filter.filters.map((f) => this.node(f, leaf)).join(filter.type === "and" ? " AND " : " OR ")})`;
      case "not":
        return `NOT COALESCE(${this.node(filter.filter, leaf)}, 0)`;
      case "valuePath":
        return this.valuePath(filter.path, filter.filter);
    }
  }

  top = (f: Leaf): string => {
    const ref = resolveAttribute(this.resource, f.path);
    if (!ref) throw unknownAttribute(f.path);
    const name = formatAttrPath(f.path);
    if (ref.attr.multiValued) {
      if (ref.attr.type !== "complex") throw ScimError.invalidFilter(`'${name}' cannot be filtered`);
      const sub = ref.sub ?? (f.type === "present" ? undefined : valueSub(ref.attr));
      if (!sub && f.type === "compare") {
        throw ScimError.invalidFilter(`'${name}': name a sub-attribute of this complex attribute`);
      }
      // `emails.value eq "x"` is `emails[value eq "x"]`: some value matches.
      const element: Leaf | undefined = sub ? { ...f, path: { name: sub.name } } : undefined;
      return this.multiValued({ extension: ref.extension, attr: ref.attr }, element);
    }
    if (ref.attr.type === "complex" && !ref.sub) {
      const sub = f.type === "compare" ? valueSub(ref.attr) : undefined;
      if (f.type === "compare" && !sub) throw ScimError.invalidFilter(`'${name}': name a sub-attribute of this complex attribute`);
      return this.predicate(this.scalar({ ...ref, sub }, name), f, name);
    }
    return this.predicate(this.scalar(ref, name), f, name);
  };

  /** A single-valued attribute: its mapped column, else json_extract on the folded JSON. */
  private scalar(ref: AttributeRef, name: string): ScalarTarget {
    const def = ref.sub ?? ref.attr;
    const column = this.map.columns[pathKey(ref)];
    if (column) {
      checkColumn(column, def);
      return { expr: column.sql, def, epochMs: !!column.epochMs };
    }
    if (!isStored(ref)) throw ScimError.invalidFilter(`'${name}' cannot be filtered`);
    return { expr: `json_extract(${this.map.json}, ${jsonPath(refSegments(ref))})`, def, epochMs: false };
  }

  private valuePath(path: AttrPath, filter: Filter): string {
    const ref = resolveAttribute(this.resource, path);
    if (!ref) throw unknownAttribute(path);
    if (!ref.attr.multiValued || ref.attr.type !== "complex" || ref.sub) {
      throw ScimError.invalidFilter(`'${formatAttrPath(path)}[...]': a value filter needs a multi-valued complex attribute`);
    }
    return this.multiValued(ref, filter);
  }

  /** Some value of a multi-valued attribute satisfies `element` (any value at all when undefined). */
  private multiValued(ref: AttributeRef, element: Filter | undefined): string {
    const subs = element ? subAttributesOf(element, ref.attr) : [];
    const child = this.map.children[pathKey(ref)];
    if (child && subs.every((s) => child.columns[s.name.toLowerCase()])) return this.inChild(child, element, ref);
    const name = canonicalPath(ref);
    const readable = !child?.exclusive && isStored(ref) && subs.every((sub) => isStored({ ...ref, sub }));
    if (!readable) throw ScimError.invalidFilter(`'${name}' cannot be filtered that way`);
    const from = `json_each(${this.map.json}, ${jsonPath(refSegments(ref, false))}) j`;
    const condition = element ? this.node(element, this.elementLeaf(ref.attr, jsonElement)) : "1";
    return `EXISTS (SELECT 1 FROM ${from} WHERE ${condition})`;
  }

  private inChild(child: ChildTarget, element: Filter | undefined, ref: AttributeRef): string {
    this.bind(this.tenant); // the `?` of ownerIds comes first in the text
    const condition = element
      ? this.node(
          element,
          this.elementLeaf(ref.attr, (sub) => {
            const column = child.columns[sub.name.toLowerCase()];
            checkColumn(column, sub);
            return { expr: column.sql, def: sub, epochMs: !!column.epochMs };
          }),
        )
      : "1";
    return `${this.map.rowId} IN (${child.ownerIds} AND ${condition})`;
  }

  private elementLeaf(attr: AttributeDef, target: (sub: AttributeDef) => ScalarTarget) {
    return (f: Leaf): string => {
      const name = `${attr.name}.${f.path.name}`;
      const sub = findAttribute(attr.subAttributes, f.path.name);
      if (!sub) throw ScimError.invalidFilter(`Unknown attribute '${name}'`);
      return this.predicate(target(sub), f, name);
    };
  }

  private predicate(target: ScalarTarget, f: Leaf, name: string): string {
    const { expr } = target;
    if (f.type === "present") return `${expr} IS NOT NULL`;
    const literal = typedLiteral(target.def, f.op, f.value, name);
    if (f.op === "ne") return `NOT COALESCE(${this.predicate(target, { ...f, op: "eq" }, name)}, 0)`;
    switch (literal.kind) {
      case "null":
        return `${expr} IS NULL`;
      case "boolean":
        return `${expr} = ${this.bind(literal.value ? 1 : 0)}`;
      case "number":
        return `${expr} ${SQL_OPS[f.op]} ${this.bind(literal.value)}`;
      case "instant": {
        if (!target.epochMs) throw ScimError.invalidFilter(`'${name}' cannot be filtered`);
        // Integer milliseconds against an instant that may carry sub-millisecond digits.
        const { ms, subMsNanos } = literal.value;
        const ceil = subMsNanos > 0 ? ms + 1 : ms;
        if (f.op === "eq") return subMsNanos > 0 ? "0" : `${expr} = ${this.bind(ms)}`;
        if (f.op === "gt" || f.op === "le") return `${expr} ${SQL_OPS[f.op]} ${this.bind(ms)}`;
        return `${expr} ${SQL_OPS[f.op]} ${this.bind(ceil)}`;
      }
      case "string": {
        const v = literal.value;
        if (v === "" && (f.op === "co" || f.op === "sw" || f.op === "ew")) return `${expr} IS NOT NULL`;
        if (f.op === "co") return `instr(${expr}, ${this.bind(v)}) > 0`;
        // instr finds the first occurrence, so = 1 exactly when the value starts with v.
        if (f.op === "sw") return `instr(${expr}, ${this.bind(v)}) = 1`;
        if (f.op === "ew") return `substr(${expr}, -length(${this.bind(v)})) = ${this.bind(v)}`;
        return `${expr} ${SQL_OPS[f.op]} ${this.bind(v)}`;
      }
    }
  }
}

const SQL_OPS: Record<string, string> = { eq: "=", gt: ">", ge: ">=", lt: "<", le: "<=" };

function jsonElement(sub: AttributeDef): ScalarTarget {
  return { expr: `json_extract(j.value, ${jsonPath([sub.name])})`, def: sub, epochMs: false };
}

/** The sub-attributes a value filter names; unknown ones are refused here, before any SQL. */
function subAttributesOf(filter: Filter, attr: AttributeDef): AttributeDef[] {
  switch (filter.type) {
    case "compare":
    case "present": {
      const sub = findAttribute(attr.subAttributes, filter.path.name);
      if (!sub) throw ScimError.invalidFilter(`Unknown attribute '${attr.name}.${filter.path.name}'`);
      return [sub];
    }
    case "and":
    case "or":
      return filter.filters.flatMap((f) => subAttributesOf(f, attr));
    case "not":
      return subAttributesOf(filter.filter, attr);
    case "valuePath":
      throw ScimError.invalidFilter("Value filters cannot be nested");
  }
}

/**
 * Compiles a filter to a WHERE fragment. `tenant` (the organization id) is bound wherever a child
 * table's owner-id query needs it. Throws ScimError 400 invalidFilter for unknown attributes,
 * impossible comparisons and oversized filters.
 */
export function compileFilter(filter: Filter, resource: ResourceSchema, map: AttributeMap, tenant: unknown): CompiledSql {
  const compiler = new Compiler(resource, map, tenant);
  const sql = compiler.node(filter, compiler.top);
  return { sql, params: compiler.params };
}

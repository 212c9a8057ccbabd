/**
 * Filter AST → SQL WHERE fragment with `?` placeholders, driven by an attribute map.
 *
 * Rules that keep it safe on D1:
 * - client values only ever travel as bound parameters, and at most MAX_FILTER_PARAMS of them (D1
 *   allows 100 per statement, and the query around the filter needs a few);
 * - `co`/`sw`/`ew` compile to instr/substr, never LIKE: D1 refuses LIKE patterns over 50 bytes, and
 *   LIKE folds ASCII only while our folded columns are Unicode-folded;
 * - NOT is wrapped in COALESCE(…, 0) so that a comparison with an absent (NULL) value counts as
 *   false, and its negation as true, exactly like the in-memory evaluator;
 * - D1 refuses expressions deeper than 100 ("Expression tree is too large"), and SQLite parses
 *   `a OR b OR c …` one level per term. So `eq` terms on one attribute joined by `or` become one
 *   `IN (SELECT value FROM json_each(?))` over a JSON list (one parameter, whatever their number),
 *   every other chain is a balanced tree (depth log2 of its length), and the depth SQLite will count
 *   is computed as the SQL is built: a filter that would still be too deep, or too long, is 400
 *   invalidFilter here, before it reaches D1.
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
import type { Filter, Literal } from "../filter/ast";
import { typedLiteral } from "../filter/literal";
import type { AttributeMap, ChildTarget, ColumnTarget } from "./attribute-map";
import { jsonPath, refSegments, valueSub } from "./paths";

export interface CompiledSql {
  sql: string;
  params: unknown[];
}

export const MAX_FILTER_PARAMS = 90;
/**
 * How deep the compiled filter may be, as SQLite counts it (see `Sql`). D1's limit is 100; the list
 * query puts the filter two levels down (`org_id = ? AND (filter) AND (cursor position)`), and the
 * rest is margin.
 */
export const MAX_FILTER_SQL_DEPTH = 90;
/** D1 refuses statements over 100,000 bytes; the filter gets half, the rest of a list query is small. */
export const MAX_FILTER_SQL_LENGTH = 50_000;

/**
 * A piece of SQL with what SQLite's expression-depth limit counts of it: `height`, the depth of its
 * expression tree (1 + its deepest operand; a subquery counts with its WHERE clause), and `nested`,
 * what resolving its subqueries adds, since SQLite sums the heights of the enclosing expressions
 * while it resolves a subquery's own (an `IN (SELECT … WHERE w)` costs its height plus w's). The
 * filter is refused when height + nested exceeds MAX_FILTER_SQL_DEPTH.
 */
interface Sql {
  sql: string;
  height: number;
  nested: number;
}

const atom = (sql: string, height = 1): Sql => ({ sql, height, nested: 0 });

/** `eq` terms on one attribute, joined by `or`: compiled to one IN list. Never built by the parser. */
interface EqList {
  type: "eqList";
  path: AttrPath;
  values: Literal[];
}

type Node = Filter | EqList;
type Leaf = Extract<Filter, { type: "compare" | "present" }> | EqList;

/** Where a scalar value lives: an expression and the definition that says how to compare it. */
interface ScalarTarget {
  expr: string;
  /** The expression's height (see `Sql`): a qualified column `u.x` is 2. */
  height: number;
  def: AttributeDef;
  epochMs: boolean;
}

/** `u.x` is a two-level expression until resolved; anything else a mapped column holds is at most four. */
function columnHeight(sql: string): number {
  return /^[A-Za-z_]\w*\.[A-Za-z_"][\w"]*$/.test(sql) ? 2 : 4;
}

function unknownAttribute(path: AttrPath): ScimError {
  return ScimError.invalidFilter(`Unknown attribute '${formatAttrPath(path)}'`);
}

function checkColumn(column: ColumnTarget, def: AttributeDef) {
  if (foldsCase(def) && !column.folded) throw new Error(`column ${column.sql} must hold folded text`);
}

/** Case-insensitive identity of a filter path as written, for grouping `eq` terms. */
function pathIdentity(path: AttrPath): string {
  return `${path.uri?.toLowerCase() ?? ""}|${path.name.toLowerCase()}|${path.sub?.toLowerCase() ?? ""}`;
}

/** The operands of a chain, with nested chains of the same kind (`(a or b) or c`) inlined. */
function chainOperands(type: "and" | "or", filters: Filter[]): Filter[] {
  return filters.flatMap((f) => (f.type === type ? chainOperands(type, f.filters) : [f]));
}

/**
 * `x eq 1 or y eq 2 or x eq 3` → `x in [1, 3] or y eq 2`: each attribute's `eq` terms become one
 * EqList where its first term stood (OR is commutative, and "some value equals a or some value
 * equals b" is "some value is in [a, b]" for multi-valued attributes too).
 */
function groupEqualities(operands: Filter[]): Node[] {
  const lists = new Map<string, EqList>();
  const out: Node[] = [];
  for (const f of operands) {
    if (f.type !== "compare" || f.op !== "eq") {
      out.push(f);
      continue;
    }
    const key = pathIdentity(f.path);
    const list = lists.get(key);
    if (list) {
      list.values.push(f.value);
      continue;
    }
    const created: EqList = { type: "eqList", path: f.path, values: [f.value] };
    lists.set(key, created);
    out.push(created);
  }
  return out.map((n) => (n.type === "eqList" && n.values.length === 1 ? { type: "compare", path: n.path, op: "eq", value: n.values[0] } : n));
}

/** Operands joined as a balanced tree: `((a OR b) OR (c OR d))`, depth log2(n) instead of n. */
function balanced(parts: Sql[], joiner: " AND " | " OR "): Sql {
  if (parts.length === 1) return parts[0];
  const middle = Math.ceil(parts.length / 2);
  const left = balanced(parts.slice(0, middle), joiner);
  const right = balanced(parts.slice(middle), joiner);
  return {
    sql: `(${left.sql}${joiner}${right.sql})`,
    height: 1 + Math.max(left.height, right.height),
    nested: Math.max(left.nested, right.nested),
  };
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

  node(filter: Node, leaf: (f: Leaf) => Sql): Sql {
    switch (filter.type) {
      case "compare":
      case "present":
      case "eqList":
        return leaf(filter);
      case "and":
      case "or": {
        const operands = chainOperands(filter.type, filter.filters);
        const nodes = filter.type === "or" ? groupEqualities(operands) : operands;
        // Compiled in order, so that the parameters follow the text.
        return balanced(nodes.map((f) => this.node(f, leaf)), filter.type === "and" ? " AND " : " OR ");
      }
      case "not": {
        const inner = this.node(filter.filter, leaf);
        return { sql: `NOT COALESCE(${inner.sql}, 0)`, height: inner.height + 2, nested: inner.nested };
      }
      case "valuePath":
        return this.valuePath(filter.path, filter.filter);
    }
  }

  top = (f: Leaf): Sql => {
    const ref = resolveAttribute(this.resource, f.path);
    if (!ref) throw unknownAttribute(f.path);
    const name = formatAttrPath(f.path);
    const compares = f.type !== "present";
    if (ref.attr.multiValued) {
      if (ref.attr.type !== "complex") throw ScimError.invalidFilter(`'${name}' cannot be filtered`);
      const sub = ref.sub ?? (compares ? valueSub(ref.attr) : undefined);
      if (!sub && compares) {
        throw ScimError.invalidFilter(`'${name}': name a sub-attribute of this complex attribute`);
      }
      // `emails.value eq "x"` is `emails[value eq "x"]`: some value matches.
      const element: Leaf | undefined = sub ? { ...f, path: { name: sub.name } } : undefined;
      return this.multiValued({ extension: ref.extension, attr: ref.attr }, element);
    }
    if (ref.attr.type === "complex" && !ref.sub) {
      const sub = compares ? valueSub(ref.attr) : undefined;
      if (compares && !sub) throw ScimError.invalidFilter(`'${name}': name a sub-attribute of this complex attribute`);
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
      return { expr: column.sql, height: columnHeight(column.sql), def, epochMs: !!column.epochMs };
    }
    if (!isStored(ref)) throw ScimError.invalidFilter(`'${name}' cannot be filtered`);
    return { expr: `json_extract(${this.map.json}, ${jsonPath(refSegments(ref))})`, height: 3, def, epochMs: false };
  }

  private valuePath(path: AttrPath, filter: Filter): Sql {
    const ref = resolveAttribute(this.resource, path);
    if (!ref) throw unknownAttribute(path);
    if (!ref.attr.multiValued || ref.attr.type !== "complex" || ref.sub) {
      throw ScimError.invalidFilter(`'${formatAttrPath(path)}[...]': a value filter needs a multi-valued complex attribute`);
    }
    return this.multiValued(ref, filter);
  }

  /** Some value of a multi-valued attribute satisfies `element` (any value at all when undefined). */
  private multiValued(ref: AttributeRef, element: Node | undefined): Sql {
    const subs = element ? subAttributesOf(element, ref.attr) : [];
    const child = this.map.children[pathKey(ref)];
    if (child && subs.every((s) => child.columns[s.name.toLowerCase()])) return this.inChild(child, element, ref);
    const name = canonicalPath(ref);
    const readable = !child?.exclusive && isStored(ref) && subs.every((sub) => isStored({ ...ref, sub }));
    if (!readable) throw ScimError.invalidFilter(`'${name}' cannot be filtered that way`);
    const from = `json_each(${this.map.json}, ${jsonPath(refSegments(ref, false))}) j`;
    const condition = element ? this.node(element, this.elementLeaf(ref.attr, jsonElement)) : atom("1");
    return {
      sql: `EXISTS (SELECT 1 FROM ${from} WHERE ${condition.sql})`,
      height: 1 + condition.height,
      // The subquery's WHERE is resolved on top of the expressions around it (and json_each's arguments, 2).
      nested: Math.max(2, condition.height + condition.nested),
    };
  }

  private inChild(child: ChildTarget, element: Node | undefined, ref: AttributeRef): Sql {
    this.bind(this.tenant); // the `?` of ownerIds comes first in the text
    const condition = element
      ? this.node(
          element,
          this.elementLeaf(ref.attr, (sub) => {
            const column = child.columns[sub.name.toLowerCase()];
            checkColumn(column, sub);
            return { expr: column.sql, height: columnHeight(column.sql), def: sub, epochMs: !!column.epochMs };
          }),
        )
      : atom("1");
    // WHERE `x.org_id = ? AND condition`, plus one level for a join's ON clause SQLite adds to it.
    const where = 2 + Math.max(3, condition.height);
    return {
      sql: `${this.map.rowId} IN (${child.ownerIds} AND ${condition.sql})`,
      height: 1 + where,
      nested: where + condition.nested,
    };
  }

  private elementLeaf(attr: AttributeDef, target: (sub: AttributeDef) => ScalarTarget) {
    return (f: Leaf): Sql => {
      const name = `${attr.name}.${f.path.name}`;
      const sub = findAttribute(attr.subAttributes, f.path.name);
      if (!sub) throw ScimError.invalidFilter(`Unknown attribute '${name}'`);
      return this.predicate(target(sub), f, name);
    };
  }

  private predicate(target: ScalarTarget, f: Leaf, name: string): Sql {
    const { expr, height } = target;
    if (f.type === "present") return atom(`${expr} IS NOT NULL`, height + 1);
    if (f.type === "eqList") return this.eqList(target, f, name);
    const literal = typedLiteral(target.def, f.op, f.value, name);
    if (f.op === "ne") {
      const eq = this.predicate(target, { ...f, op: "eq" }, name);
      return { sql: `NOT COALESCE(${eq.sql}, 0)`, height: eq.height + 2, nested: eq.nested };
    }
    const compare = (value: unknown) => atom(`${expr} ${SQL_OPS[f.op]} ${this.bind(value)}`, height + 1);
    switch (literal.kind) {
      case "null":
        return atom(`${expr} IS NULL`, height + 1);
      case "boolean":
        return compare(literal.value ? 1 : 0);
      case "number":
        return compare(literal.value);
      case "instant": {
        if (!target.epochMs) throw ScimError.invalidFilter(`'${name}' cannot be filtered`);
        // Integer milliseconds against an instant that may carry sub-millisecond digits.
        const { ms, subMsNanos } = literal.value;
        const ceil = subMsNanos > 0 ? ms + 1 : ms;
        if (f.op === "eq") return subMsNanos > 0 ? atom("0") : compare(ms);
        if (f.op === "gt" || f.op === "le") return compare(ms);
        return compare(ceil);
      }
      case "string": {
        const v = literal.value;
        if (v === "" && (f.op === "co" || f.op === "sw" || f.op === "ew")) return atom(`${expr} IS NOT NULL`, height + 1);
        if (f.op === "co") return atom(`instr(${expr}, ${this.bind(v)}) > 0`, height + 2);
        // instr finds the first occurrence, so = 1 exactly when the value starts with v.
        if (f.op === "sw") return atom(`instr(${expr}, ${this.bind(v)}) = 1`, height + 2);
        if (f.op === "ew") return atom(`substr(${expr}, -length(${this.bind(v)})) = ${this.bind(v)}`, Math.max(height, 3) + 2);
        return compare(v);
      }
    }
  }

  /**
   * `x eq a or x eq b …` as `x IN (SELECT value FROM json_each(?))`: the values travel as one JSON
   * list, typed exactly as single comparisons bind them. `null` stays `x IS NULL`; an instant that
   * no millisecond column can equal drops out (it is false).
   */
  private eqList(target: ScalarTarget, f: EqList, name: string): Sql {
    const listed: unknown[] = [];
    let matchesNull = false;
    for (const value of f.values) {
      const literal = typedLiteral(target.def, "eq", value, name);
      if (literal.kind === "null") matchesNull = true;
      else if (literal.kind === "boolean") listed.push(literal.value ? 1 : 0);
      else if (literal.kind === "instant") {
        if (!target.epochMs) throw ScimError.invalidFilter(`'${name}' cannot be filtered`);
        if (literal.value.subMsNanos === 0) listed.push(literal.value.ms);
      } else listed.push(literal.value);
    }
    const unique = [...new Set(listed)];
    const parts: Sql[] = [];
    if (unique.length === 1) parts.push(atom(`${target.expr} = ${this.bind(unique[0])}`, target.height + 1));
    if (unique.length > 1) {
      const list = this.bind(JSON.stringify(unique));
      parts.push({ sql: `${target.expr} IN (SELECT value FROM json_each(${list}))`, height: target.height + 1, nested: 2 });
    }
    if (matchesNull) parts.push(atom(`${target.expr} IS NULL`, target.height + 1));
    return parts.length ? balanced(parts, " OR ") : atom("0");
  }
}

const SQL_OPS: Record<string, string> = { eq: "=", gt: ">", ge: ">=", lt: "<", le: "<=" };

function jsonElement(sub: AttributeDef): ScalarTarget {
  return { expr: `json_extract(j.value, ${jsonPath([sub.name])})`, height: 3, def: sub, epochMs: false };
}

/** The sub-attributes a value filter names; unknown ones are refused here, before any SQL. */
function subAttributesOf(filter: Node, attr: AttributeDef): AttributeDef[] {
  switch (filter.type) {
    case "compare":
    case "present":
    case "eqList": {
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
 * impossible comparisons and filters too large or too deep for D1.
 */
export function compileFilter(filter: Filter, resource: ResourceSchema, map: AttributeMap, tenant: unknown): CompiledSql {
  const compiler = new Compiler(resource, map, tenant);
  const compiled = compiler.node(filter, compiler.top);
  if (compiled.height + compiled.nested > MAX_FILTER_SQL_DEPTH) {
    throw ScimError.invalidFilter(
      `The filter nests too deeply to run (depth ${compiled.height + compiled.nested} in SQL, at most ${MAX_FILTER_SQL_DEPTH}); use fewer levels of parentheses or 'not'`,
    );
  }
  if (compiled.sql.length > MAX_FILTER_SQL_LENGTH) {
    throw ScimError.invalidFilter("The filter is too long to run; split it into several requests");
  }
  return { sql: compiled.sql, params: compiler.params };
}

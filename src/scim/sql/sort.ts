/** `sortBy`/`sortOrder` → ORDER BY terms over a resource type's attribute map. */
import { findAttribute, isStored, pathKey, resolveAttribute, type AttributeRef } from "../attributes";
import { ScimError } from "../errors";
import { parsePathExpression } from "../filter/parser";
import type { ResourceSchema } from "../schemas";
import type { AttributeMap } from "./attribute-map";
import { jsonPath, refSegments, valueSub } from "./paths";

export type SortOrder = "ascending" | "descending";

/**
 * The sort of a list: the expression rows are ordered by (before the id tie-breaker, which runs the
 * same way), whether it can be NULL (absent values sort last, both ways), and its direction.
 */
export interface SortKey {
  expr: string;
  notNull: boolean;
  descending: boolean;
}

/**
 * Compiles `sortBy` to the list's sort key. Case-insensitive attributes sort by their folded form.
 * Unknown or unsortable attributes → 400 invalidValue.
 */
export function compileSortKey(sortBy: string, order: SortOrder, resource: ResourceSchema, map: AttributeMap): SortKey {
  const fail = (detail: string) => ScimError.invalidValue(`sortBy: ${detail}`);
  const expression = parsePathExpression(sortBy, fail);
  if (expression.filter) throw fail("a value filter cannot be sorted on");
  const ref = resolveAttribute(resource, expression.path);
  if (!ref) throw fail(`unknown attribute '${sortBy}'`);
  const def = ref.sub ?? (ref.attr.type === "complex" ? valueSub(ref.attr) : ref.attr);
  if (!def || def.type === "complex") throw fail(`'${sortBy}' is not a simple attribute`);
  const target = { ...ref, sub: ref.attr.type === "complex" ? def : undefined };
  const expr = sortExpression(target, map);
  if (!expr) throw fail(`'${sortBy}' cannot be sorted on`);
  return { expr: expr.sql, notNull: !!expr.notNull, descending: order === "descending" };
}

/** ORDER BY terms of a sort key, without the tie-breaker. Absent values sort last. */
export function sortTerms(key: SortKey, reverse = false): string {
  const direction = key.descending !== reverse ? "DESC" : "ASC";
  // A column that is never NULL needs no "absent values last" term and keeps its index.
  if (key.notNull) return `${key.expr} ${direction}`;
  return `${key.expr} IS NULL${reverse ? " DESC" : ""}, ${key.expr} ${direction}`;
}

/**
 * Compiles `sortBy` to ORDER BY terms (without the tie-breaker, which the query adds). Values absent on
 * a resource sort last. Case-insensitive attributes sort by their folded form. Unknown or unsortable
 * attributes → 400 invalidValue.
 */
export function compileSort(sortBy: string, order: SortOrder, resource: ResourceSchema, map: AttributeMap): string {
  return sortTerms(compileSortKey(sortBy, order, resource, map));
}

function sortExpression(ref: AttributeRef, map: AttributeMap): { sql: string; notNull?: boolean } | undefined {
  const expression = (sql: string | undefined) => (sql === undefined ? undefined : { sql });
  if (!ref.attr.multiValued) {
    const column = map.columns[pathKey(ref)];
    if (column) return column;
    return expression(isStored(ref) ? `json_extract(${map.json}, ${jsonPath(refSegments(ref))})` : undefined);
  }
  const child = map.children[pathKey({ extension: ref.extension, attr: ref.attr })];
  const column = ref.sub && child?.columns[ref.sub.name.toLowerCase()];
  if (column) return expression(child.sortValue(column.sql));
  if (child?.exclusive || !isStored(ref) || !ref.sub) return undefined;
  const primary = findAttribute(ref.attr.subAttributes, "primary");
  const order = primary ? `json_extract(j.value, ${jsonPath([primary.name])}) DESC, ` : "";
  const list = `json_each(${map.json}, ${jsonPath(refSegments(ref, false))}) j`;
  return expression(`(SELECT json_extract(j.value, ${jsonPath([ref.sub.name])}) FROM ${list} ORDER BY ${order}CAST(j.key AS INTEGER) LIMIT 1)`);
}

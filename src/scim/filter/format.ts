/** Prints a filter AST back to filter text (used by tests for parse → print → parse round trips). */
import { formatAttrPath } from "../attributes";
import type { Filter, Literal } from "./ast";

function literal(value: Literal): string {
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}

export function formatFilter(filter: Filter): string {
  switch (filter.type) {
    case "compare":
      return `${formatAttrPath(filter.path)} ${filter.op} ${literal(filter.value)}`;
    case "present":
      return `${formatAttrPath(filter.path)} pr`;
    case "and":
    case "or":
      return filter.filters.map((f) => `(${formatFilter(f)})`).join(` ${filter.type} `);
    case "not":
      return `not (${formatFilter(filter.filter)})`;
    case "valuePath":
      return `${formatAttrPath(filter.path)}[${formatFilter(filter.filter)}]`;
  }
}

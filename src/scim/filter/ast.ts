/** The filter AST (RFC 7644 §3.4.2.2), produced by the parser and consumed by the compiler and evaluator. */
import type { AttrPath } from "../attributes";

export type CompareOp = "eq" | "ne" | "co" | "sw" | "ew" | "gt" | "ge" | "lt" | "le";
export const COMPARE_OPS: readonly CompareOp[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];

export type Literal = string | number | boolean | null;

export type Filter =
  | { type: "compare"; path: AttrPath; op: CompareOp; value: Literal }
  | { type: "present"; path: AttrPath }
  /** n-ary, so that long chains of `and` stay flat instead of nesting one level per term. */
  | { type: "and" | "or"; filters: Filter[] }
  | { type: "not"; filter: Filter }
  /**
   * `emails[type eq "work"]`: some value of the multi-valued `path` matches `filter`, whose paths
   * name sub-attributes of `path` (only `name` is set in them).
   */
  | { type: "valuePath"; path: AttrPath; filter: Filter };

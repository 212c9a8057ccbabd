/**
 * The comparison value of a filter term, checked against the attribute's type. Shared by the SQL
 * compiler and the in-memory evaluator so that both accept and refuse exactly the same filters.
 */
import { jsonType, ScimError } from "../errors";
import { parseInstant, type Instant } from "../instant";
import { foldsCase, type AttributeDef } from "../schemas";
import { fold } from "../text";
import type { CompareOp, Literal } from "./ast";

export type TypedLiteral =
  | { kind: "null" }
  | { kind: "string"; value: string }
  | { kind: "boolean"; value: boolean }
  | { kind: "number"; value: number }
  | { kind: "instant"; value: Instant };

const ORDERING: ReadonlySet<CompareOp> = new Set(["gt", "ge", "lt", "le"]);
const SUBSTRING: ReadonlySet<CompareOp> = new Set(["co", "sw", "ew"]);

/**
 * Types `value` for comparing `def` with `op`; strings of case-insensitive attributes come back
 * folded. Throws 400 invalidFilter for comparisons RFC 7644 §3.4.2.2 rules out (ordering on booleans
 * and binaries) and for values that cannot be of the attribute's type.
 */
export function typedLiteral(def: AttributeDef, op: CompareOp, value: Literal, name: string): TypedLiteral {
  const refuse = (why: string) =>
    ScimError.invalidFilter(`'${name} ${op} ${JSON.stringify(value)}': ${why}`, `'${name} ${op} <${value === null ? "null" : jsonType(value)}>': ${why}`);
  if (value === null) {
    if (op !== "eq" && op !== "ne") throw refuse("null can only be compared with eq or ne");
    return { kind: "null" };
  }
  switch (def.type) {
    case "complex":
      throw refuse("name a sub-attribute of this complex attribute");
    case "boolean": {
      if (op !== "eq" && op !== "ne") throw refuse("a boolean can only be compared with eq or ne");
      const text = typeof value === "string" ? value.trim().toLowerCase() : undefined;
      if (typeof value === "boolean") return { kind: "boolean", value };
      if (text === "true" || text === "false") return { kind: "boolean", value: text === "true" };
      throw refuse("expected true or false");
    }
    case "dateTime": {
      if (SUBSTRING.has(op)) throw refuse("a dateTime cannot be compared with co, sw or ew");
      const instant = typeof value === "string" ? parseInstant(value) : undefined;
      if (!instant) throw refuse("expected an RFC 3339 date-time such as \"2026-01-31T12:00:00Z\"");
      return { kind: "instant", value: instant };
    }
    case "integer":
    case "decimal": {
      if (SUBSTRING.has(op)) throw refuse("a number cannot be compared with co, sw or ew");
      const n = typeof value === "number" ? value : typeof value === "string" && value.trim() ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw refuse("expected a number");
      return { kind: "number", value: n };
    }
    case "binary":
    case "string":
    case "reference": {
      if (def.type === "binary" && ORDERING.has(op)) throw refuse("a binary value cannot be ordered");
      const text = String(value);
      return { kind: "string", value: foldsCase(def) ? fold(text) : text };
    }
  }
}

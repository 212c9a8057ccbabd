/** Where an attribute's value lives in a stored resource's JSON, for the filter and sort compilers. */
import { findAttribute, type AttributeRef } from "../attributes";
import type { AttributeDef } from "../schemas";

const SAFE_JSON_KEY = /^[A-Za-z0-9_$.:-]+$/;

/** A JSON path over canonical names, each segment quoted (URNs contain dots and colons). */
export function jsonPath(segments: string[]): string {
  for (const s of segments) {
    // Names come from schema definitions, never from clients; this guards the inlining below.
    if (!SAFE_JSON_KEY.test(s)) throw new Error(`unsafe JSON path segment ${s}`);
  }
  return `'$${segments.map((s) => `."${s}"`).join("")}'`;
}

/** The JSON path segments of an attribute reference (with or without its sub-attribute). */
export function refSegments(ref: AttributeRef, withSub = true): string[] {
  return [ref.extension?.id, ref.attr.name, withSub ? ref.sub?.name : undefined].filter((s): s is string => !!s);
}

/** The `value` sub-attribute a comparison on a complex attribute means (`emails eq "x"`), if it has one. */
export function valueSub(attr: AttributeDef): AttributeDef | undefined {
  return findAttribute(attr.subAttributes, "value");
}


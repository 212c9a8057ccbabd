/** PATCH paths (RFC 7644 §3.5.2) resolved against a resource's schemas. */
import { canonicalPath, findAttribute, resolveAttribute, schemaByUrn, type AttributeRef } from "../attributes";
import { ScimError } from "../errors";
import type { Filter } from "../filter/ast";
import { typedLiteral } from "../filter/literal";
import { parsePathExpression } from "../filter/parser";
import type { AttributeDef, ResourceSchema, SchemaDef } from "../schemas";

export interface PatchPath {
  /** The attribute operated on; its `sub` is always unset (see `sub` below). */
  attribute: AttributeRef;
  /** Narrows a multi-valued attribute to the values matching this filter (paths name sub-attributes). */
  filter?: Filter;
  /** The sub-attribute operated on: of a singular complex attribute, or of the (filtered) values. */
  sub?: AttributeDef;
}

export type ParsedPatchPath = { kind: "attribute"; path: PatchPath } | { kind: "schema"; schema: SchemaDef };

/** Checks every term of a value filter against the attribute's sub-attributes (or-branches included). */
export function checkValueFilter(filter: Filter, attr: AttributeDef, fail: (detail: string) => ScimError): void {
  switch (filter.type) {
    case "compare":
    case "present": {
      const sub = findAttribute(attr.subAttributes, filter.path.name);
      if (!sub) throw fail(`Unknown attribute '${attr.name}.${filter.path.name}' in a value filter`);
      if (filter.type === "compare") {
        try {
          typedLiteral(sub, filter.op, filter.value, `${attr.name}.${sub.name}`);
        } catch (e) {
          throw e instanceof ScimError ? fail(e.detail) : e;
        }
      }
      return;
    }
    case "and":
    case "or":
      return filter.filters.forEach((f) => checkValueFilter(f, attr, fail));
    case "not":
      return checkValueFilter(filter.filter, attr, fail);
    case "valuePath":
      throw fail("Value filters cannot be nested");
  }
}

/**
 * Parses and resolves a PATCH path. A path that is a schema URN (`urn:…:enterprise:2.0:User`) targets
 * that whole extension. Unknown attributes and malformed paths → 400 invalidPath.
 */
export function parsePatchPath(text: string, resource: ResourceSchema): ParsedPatchPath {
  const schema = schemaByUrn(resource, text.trim());
  if (schema) return { kind: "schema", schema };
  const expression = parsePathExpression(text, ScimError.invalidPath);
  const ref = resolveAttribute(resource, expression.path);
  if (!ref) throw ScimError.invalidPath(`Unknown attribute '${text}'`);
  const attribute: AttributeRef = { extension: ref.extension, attr: ref.attr };
  if (!expression.filter) return { kind: "attribute", path: { attribute, sub: ref.sub } };
  if (!ref.attr.multiValued || ref.attr.type !== "complex") {
    throw ScimError.invalidPath(`'${canonicalPath(attribute)}' is not multi-valued: it cannot take a value filter`);
  }
  checkValueFilter(expression.filter, ref.attr, ScimError.invalidPath);
  let sub: AttributeDef | undefined;
  if (expression.sub !== undefined) {
    sub = findAttribute(ref.attr.subAttributes, expression.sub);
    if (!sub) throw ScimError.invalidPath(`Unknown attribute '${ref.attr.name}.${expression.sub}'`);
  }
  return { kind: "attribute", path: { attribute, filter: expression.filter, sub } };
}

/** RFC 7643 §7 attribute and schema definitions, as data. */
export type AttributeType = "string" | "boolean" | "decimal" | "integer" | "dateTime" | "reference" | "complex" | "binary";
export type Mutability = "readOnly" | "readWrite" | "immutable" | "writeOnly";
export type Returned = "always" | "never" | "default" | "request";
export type Uniqueness = "none" | "server" | "global";

export interface AttributeDef {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: Mutability;
  returned: Returned;
  uniqueness: Uniqueness;
  canonicalValues?: string[];
  referenceTypes?: string[];
  subAttributes?: AttributeDef[];
}

export interface SchemaDef {
  id: string;
  name: string;
  description: string;
  attributes: AttributeDef[];
}

export interface ResourceTypeDef {
  id: string;
  name: string;
  endpoint: string;
  description: string;
  schema: string;
  schemaExtensions: { schema: string; required: boolean }[];
}

type AttrOptions = Partial<Omit<AttributeDef, "name" | "type" | "description">>;

/** Builds an attribute with the RFC 7643 §2.2 defaults, so that definitions only state what differs. */
export function attr(name: string, type: AttributeType, description: string, options: AttrOptions = {}): AttributeDef {
  const def: AttributeDef = {
    name,
    type,
    multiValued: false,
    description,
    required: false,
    caseExact: false,
    mutability: "readWrite",
    returned: "default",
    uniqueness: "none",
    ...options,
  };
  if (type === "complex" && !def.subAttributes) def.subAttributes = [];
  return def;
}

/** The sub-attributes shared by most multi-valued attributes (RFC 7643 §2.4). */
export function multiValuedSubAttributes(
  what: string,
  types: string[],
  valueType: AttributeType = "string",
  valueOptions: AttrOptions = {},
): AttributeDef[] {
  return [
    attr("value", valueType, `The ${what}.`, valueOptions),
    attr("display", "string", `A human-readable name for the ${what}, primarily used for display purposes.`),
    attr("type", "string", `A label indicating the ${what}'s function.`, { canonicalValues: types }),
    attr("primary", "boolean", `Whether this is the primary ${what}. At most one value may be primary.`),
  ];
}

/**
 * Whether values of the attribute compare case-insensitively. Binary values (base64) never do,
 * whatever `caseExact` says.
 */
export function foldsCase(def: AttributeDef): boolean {
  return (def.type === "string" || def.type === "reference") && !def.caseExact;
}

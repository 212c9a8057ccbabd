/** fast-check generators for filters and PATCH operations over the User schemas. */
import fc from "fast-check";
import type { AttrPath } from "../../src/scim/attributes";
import type { CompareOp, Filter, Literal } from "../../src/scim/filter/ast";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** Single-valued attribute paths, in assorted spellings. */
export const SCALAR_PATHS: AttrPath[] = [
  { name: "userName" },
  { name: "USERNAME" },
  { name: "displayName" },
  { name: "externalId" },
  { name: "id" },
  { name: "active" },
  { name: "title" },
  { name: "nickName" },
  { name: "name", sub: "givenName" },
  { name: "name", sub: "FamilyName" },
  { name: "name", sub: "formatted" },
  { name: "meta", sub: "created" },
  { name: "meta", sub: "lastModified" },
  { uri: "urn:ietf:params:scim:schemas:core:2.0:User", name: "userName" },
  { uri: ENT, name: "employeeNumber" },
  { uri: ENT, name: "department" },
  { uri: ENT, name: "manager", sub: "value" },
];

/** Sub-attribute paths of multi-valued attributes, as a filter writes them (`emails.value`). */
export const MULTI_PATHS: AttrPath[] = [
  { name: "emails", sub: "value" },
  { name: "emails", sub: "type" },
  { name: "emails", sub: "primary" },
  { name: "emails", sub: "display" },
  { name: "phoneNumbers", sub: "value" },
  { name: "phoneNumbers", sub: "type" },
  { name: "addresses", sub: "locality" },
  { name: "roles", sub: "value" },
];

export const VALUE_PATH_ATTRS = ["emails", "phoneNumbers", "addresses", "roles"];
export const SUBS: Record<string, string[]> = {
  emails: ["value", "type", "primary", "display"],
  phoneNumbers: ["value", "type", "primary"],
  addresses: ["locality", "country", "type", "primary"],
  roles: ["value", "type", "primary"],
};

export const OPS: CompareOp[] = ["eq", "ne", "co", "sw", "ew", "gt", "ge", "lt", "le"];

export function literalArb(strings: fc.Arbitrary<string>): fc.Arbitrary<Literal> {
  return fc.oneof(
    { weight: 6, arbitrary: strings },
    { weight: 1, arbitrary: fc.boolean() },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.integer({ min: -5, max: 5 }) },
    {
      weight: 2,
      arbitrary: fc
        .tuple(fc.integer({ min: 0, max: 2 }), fc.constantFrom("", ".5", ".123", ".123456789"), fc.constantFrom("Z", "+02:00", "-05:30"))
        .map(([d, frac, zone]) => `2026-01-0${d + 1}T12:00:00${frac}${zone}`),
    },
  );
}

function leafArb(paths: AttrPath[], strings: fc.Arbitrary<string>): fc.Arbitrary<Filter> {
  return fc.oneof(
    { weight: 5, arbitrary: fc.record({ type: fc.constant("compare" as const), path: fc.constantFrom(...paths), op: fc.constantFrom(...OPS), value: literalArb(strings) }) },
    { weight: 1, arbitrary: fc.record({ type: fc.constant("present" as const), path: fc.constantFrom(...paths) }) },
  );
}

/** Filter ASTs over the User schemas (valid names; values may not fit the attribute's type). */
export function filterArb(strings: fc.Arbitrary<string> = fc.string({ maxLength: 6 })): fc.Arbitrary<Filter> {
  const tree = fc.letrec<{ filter: Filter }>((tie) => ({
    filter: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leafArb([...SCALAR_PATHS, ...MULTI_PATHS], strings),
      fc.record({ type: fc.constantFrom("and" as const, "or" as const), filters: fc.array(tie("filter"), { minLength: 2, maxLength: 3 }) }),
      fc.record({ type: fc.constant("not" as const), filter: tie("filter") }),
      fc.constantFrom(...VALUE_PATH_ATTRS).chain((attr) =>
        valueFilterArb(SUBS[attr], strings).map((filter) => ({ type: "valuePath" as const, path: { name: attr }, filter })),
      ),
    ),
  }));
  return tree.filter;
}

/** Value filters over sub-attribute names (the inside of `emails[...]`). */
export function valueFilterArb(subs: string[], strings: fc.Arbitrary<string>): fc.Arbitrary<Filter> {
  const leaf = leafArb(subs.map((name) => ({ name })), strings);
  return fc.letrec<{ f: Filter }>((tie) => ({
    f: fc.oneof(
      { depthSize: "small" },
      leaf,
      fc.record({ type: fc.constantFrom("and" as const, "or" as const), filters: fc.array(tie("f"), { minLength: 2, maxLength: 3 }) }),
      fc.record({ type: fc.constant("not" as const), filter: tie("f") }),
    ),
  })).f;
}

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors";
import { formatFilter } from "../../src/scim/filter/format";
import { MAX_FILTER_DEPTH, MAX_FILTER_TERMS, parseFilter, parsePathExpression } from "../../src/scim/filter/parser";
import { filterArb } from "../support/arbitraries";
import { scimErrorOf } from "../support/scim-error";

function expectInvalid(text: string) {
  const e = scimErrorOf(() => parseFilter(text));
  expect([e.status, e.scimType], text).toEqual([400, "invalidFilter"]);
}

describe("filter parser", () => {
  it("parses the RFC 7644 grammar with precedence not > and > or", () => {
    expect(parseFilter('userName eq "bjensen"')).toEqual({
      type: "compare",
      path: { name: "userName" },
      op: "eq",
      value: "bjensen",
    });
    expect(parseFilter('a eq 1 or b eq 2 and not (c pr)')).toEqual({
      type: "or",
      filters: [
        { type: "compare", path: { name: "a" }, op: "eq", value: 1 },
        {
          type: "and",
          filters: [
            { type: "compare", path: { name: "b" }, op: "eq", value: 2 },
            { type: "not", filter: { type: "present", path: { name: "c" } } },
          ],
        },
      ],
    });
  });

  it("keeps long and-chains flat", () => {
    const f = parseFilter(Array.from({ length: 50 }, (_, i) => `a eq ${i}`).join(" and "));
    expect(f.type).toBe("and");
    expect((f as { filters: unknown[] }).filters).toHaveLength(50);
  });

  it("reads operators, keywords and literals in any case", () => {
    expect(parseFilter('DisplayName EQ "x" AND Active Eq TRUE OR title PR')).toEqual({
      type: "or",
      filters: [
        {
          type: "and",
          filters: [
            { type: "compare", path: { name: "DisplayName" }, op: "eq", value: "x" },
            { type: "compare", path: { name: "Active" }, op: "eq", value: true },
          ],
        },
        { type: "present", path: { name: "title" } },
      ],
    });
  });

  it("parses URN-qualified paths and sub-attributes", () => {
    expect(parseFilter('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value eq "m"')).toMatchObject({
      path: { uri: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", name: "manager", sub: "value" },
    });
    expect(parseFilter('name.familyName sw "O"')).toMatchObject({ path: { name: "name", sub: "familyName" }, op: "sw" });
  });

  it("parses value paths, also followed by a sub-attribute comparison", () => {
    expect(parseFilter('emails[type eq "work" and value co "@x"]')).toEqual({
      type: "valuePath",
      path: { name: "emails" },
      filter: {
        type: "and",
        filters: [
          { type: "compare", path: { name: "type" }, op: "eq", value: "work" },
          { type: "compare", path: { name: "value" }, op: "co", value: "@x" },
        ],
      },
    });
    expect(parseFilter('emails[type eq "work"].value eq "a@x"')).toEqual(parseFilter('emails[type eq "work" and value eq "a@x"]'));
  });

  it("reads bare values as strings, except true/false/null and JSON numbers", () => {
    expect(parseFilter("name.familyName eq Smith")).toMatchObject({ value: "Smith" });
    expect(parseFilter("userName sw O")).toMatchObject({ value: "O" });
    expect(parseFilter("(userName eq abc)")).toMatchObject({ value: "abc" });
    expect(parseFilter("externalId eq 00123")).toMatchObject({ value: "00123" });
    expect(parseFilter("externalId eq 123")).toMatchObject({ value: 123 });
    expect(parseFilter("externalId eq 1e999")).toMatchObject({ value: "1e999" });
    expect(parseFilter("active eq False")).toMatchObject({ value: false });
    expect(parseFilter("title eq null")).toMatchObject({ value: null });
  });

  it("decodes JSON string escapes", () => {
    expect(parseFilter(String.raw`userName eq "a \"quoted\" \u00e9 name"`)).toMatchObject({ value: 'a "quoted" é name' });
  });

  it("accepts any whitespace between tokens", () => {
    expect(parseFilter('  userName\teq\n"x"  ')).toMatchObject({ op: "eq", value: "x" });
  });

  it("refuses malformed filters with 400 invalidFilter", () => {
    for (const text of [
      "",
      "   ",
      "userName", // what workerd leaves of `userName eq "x"` sent with a raw space
      "userName eq",
      'userName eq "x',
      'userName xx "x"',
      'userName eq "x" and',
      'userName eq "x" or or b pr',
      '(userName eq "x"',
      'userName eq "x")',
      'emails[type eq "work"',
      'emails[type[value eq "x"] eq "y"]',
      'emails[urn:x:y:type eq "work"]',
      'name.givenName[value eq "x"]',
      'userName eq "x" extra',
      '"x" eq userName',
      "a.b.c eq 1",
      "user name eq 1",
      'http://x eq "y"',
      "emails[type eq work] .value eq x",
    ]) {
      expectInvalid(text);
    }
  });

  it("bounds nesting and size", () => {
    const deep = "(".repeat(MAX_FILTER_DEPTH + 1) + "a pr" + ")".repeat(MAX_FILTER_DEPTH + 1);
    expectInvalid(deep);
    expectInvalid("not ".repeat(MAX_FILTER_DEPTH + 1) + "a pr");
    const nested = "(".repeat(MAX_FILTER_DEPTH - 1) + "a pr" + ")".repeat(MAX_FILTER_DEPTH - 1);
    expect(parseFilter(nested)).toEqual({ type: "present", path: { name: "a" } });
    expectInvalid(Array.from({ length: MAX_FILTER_TERMS + 1 }, () => "a pr").join(" or "));
    expectInvalid("(".repeat(100_000));
  });

  it("round-trips printed ASTs", () => {
    fc.assert(
      fc.property(filterArb(fc.string({ maxLength: 8 })), (ast) => {
        expect(parseFilter(formatFilter(ast))).toEqual(ast);
      }),
      { numRuns: 300 },
    );
  });

  it("throws nothing but ScimError on arbitrary input", () => {
    const alphabet = fc.constantFrom(..."abc emails[]().\"\\:eqorandnotprsw01 urn:x\t".split(""));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: alphabet, maxLength: 40 }), fc.string({ unit: "grapheme" })), (text) => {
        try {
          parseFilter(text);
        } catch (e) {
          if (!(e instanceof ScimError) || e.scimType !== "invalidFilter") throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });
});

describe("PATCH path expressions", () => {
  it("parses simple, sub-attribute, URN and value-filtered paths", () => {
    expect(parsePathExpression("active")).toEqual({ path: { name: "active" } });
    expect(parsePathExpression("name.givenName")).toEqual({ path: { name: "name", sub: "givenName" } });
    expect(parsePathExpression('emails[type eq "work"].value')).toEqual({
      path: { name: "emails" },
      filter: { type: "compare", path: { name: "type" }, op: "eq", value: "work" },
      sub: "value",
    });
    expect(parsePathExpression('members[value eq "u1"]')).toMatchObject({ path: { name: "members" }, filter: { value: "u1" } });
  });

  it("refuses malformed paths with 400 invalidPath", () => {
    for (const text of ["", "a b", "emails[", 'emails[type eq "w"]x', "emails[type eq]", "a..b"]) {
      expect(scimErrorOf(() => parsePathExpression(text)).scimType, text).toBe("invalidPath");
    }
  });
});

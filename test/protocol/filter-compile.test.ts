import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { USER_ATTRIBUTE_MAP } from "../../src/db/user-attributes";
import { ScimError } from "../../src/scim/errors";
import { compileFilter, MAX_FILTER_PARAMS } from "../../src/scim/sql/filter";
import { compileSort } from "../../src/scim/sql/sort";
import { parseFilter } from "../../src/scim/filter/parser";
import { USER_RESOURCE } from "../../src/scim/schemas";
import { filterArb } from "../support/arbitraries";
import { scimErrorOf } from "../support/scim-error";

const ORG = "org-1";
const compile = (text: string) => compileFilter(parseFilter(text), USER_RESOURCE, USER_ATTRIBUTE_MAP, ORG);

function expectScim(fn: () => unknown, scimType: string) {
  expect(scimErrorOf(fn).scimType).toBe(scimType);
}

describe("filter compiler", () => {
  it("compiles indexed attributes to their columns, folding case-insensitive values in JS", () => {
    expect(compile('userName eq "ÉMILE@Example.COM"')).toEqual({ sql: "u.user_name_norm = ?", params: ["émile@example.com"] });
    expect(compile('externalId eq "AbC"')).toEqual({ sql: "u.external_id = ?", params: ["AbC"] });
    expect(compile('id eq "X1"')).toEqual({ sql: "u.id = ?", params: ["X1"] });
    expect(compile('name.FamilyName eq "Ø"')).toEqual({ sql: "u.family_name_norm = ?", params: ["ø"] });
    expect(compile("active eq false")).toEqual({ sql: "u.active = ?", params: [0] });
    expect(compile('active eq "True"')).toEqual({ sql: "u.active = ?", params: [1] });
  });

  it("compiles the same attribute identically whatever its spelling", () => {
    const canonical = compile('name.givenName eq "a"');
    expect(compile('NAME.GIVENNAME EQ "a"')).toEqual(canonical);
    expect(compile('urn:ietf:params:scim:schemas:core:2.0:User:name.givenName eq "a"')).toEqual(canonical);
  });

  it("compiles co/sw/ew to instr/substr, never to LIKE", () => {
    expect(compile('userName co "x"')).toEqual({ sql: "instr(u.user_name_norm, ?) > 0", params: ["x"] });
    expect(compile('userName sw "x"')).toEqual({ sql: "instr(u.user_name_norm, ?) = 1", params: ["x"] });
    expect(compile('userName ew "x"')).toEqual({ sql: "substr(u.user_name_norm, -length(?)) = ?", params: ["x", "x"] });
    expect(compile('userName co ""')).toEqual({ sql: "u.user_name_norm IS NOT NULL", params: [] });
    const long = "x".repeat(500);
    expect(compile(`title co "${long}"`).sql).not.toMatch(/like|glob/i);
  });

  it("compiles ne as the negation of eq, counting an absent value as not equal", () => {
    expect(compile('title ne "x"')).toEqual({
      sql: `NOT COALESCE(json_extract(u.data_norm, '$."title"') = ?, 0)`,
      params: ["x"],
    });
  });

  it("reads non-indexed attributes from the folded JSON, case-exact ones unfolded", () => {
    expect(compile('title eq "VP"')).toEqual({ sql: `json_extract(u.data_norm, '$."title"') = ?`, params: ["vp"] });
    expect(compile('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber eq "E1"')).toEqual({
      sql: `json_extract(u.data_norm, '$."urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"."employeeNumber"') = ?`,
      params: ["e1"],
    });
    expect(compile('x509Certificates.value eq "QUJD"').params).toEqual(["QUJD"]);
  });

  it("compiles emails to an uncorrelated subquery on the indexed child table, scoped by the org", () => {
    expect(compile('emails.value eq "A@X.com"')).toEqual({
      sql: "u.id IN (SELECT e.user_id FROM user_emails e WHERE e.org_id = ? AND e.value_norm = ?)",
      params: [ORG, "a@x.com"],
    });
    expect(compile('emails[type eq "work" and value co "@x"]')).toEqual({
      sql: "u.id IN (SELECT e.user_id FROM user_emails e WHERE e.org_id = ? AND (e.type_norm = ? AND instr(e.value_norm, ?) > 0))",
      params: [ORG, "work", "@x"],
    });
    expect(compile("emails pr")).toEqual({
      sql: "u.id IN (SELECT e.user_id FROM user_emails e WHERE e.org_id = ? AND 1)",
      params: [ORG],
    });
    // A comparison on the complex attribute itself means its value.
    expect(compile('emails co "x"')).toEqual(compile('emails.value co "x"'));
  });

  it("falls back to json_each when a value filter names a sub-attribute without a column", () => {
    expect(compile('emails[display eq "Work" and type eq "work"]')).toEqual({
      sql: `EXISTS (SELECT 1 FROM json_each(u.data_norm, '$."emails"') j WHERE (json_extract(j.value, '$."display"') = ? AND json_extract(j.value, '$."type"') = ?))`,
      params: ["work", "work"],
    });
    expect(compile('phoneNumbers[type eq "mobile"].value eq "+1"').sql).toContain(`json_each(u.data_norm, '$."phoneNumbers"')`);
  });

  it("compares instants with sub-millisecond digits exactly against millisecond columns", () => {
    const at = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
    expect(compile('meta.created gt "2026-01-01T12:00:00.123456Z"')).toEqual({ sql: "u.created_at > ?", params: [at] });
    expect(compile('meta.created ge "2026-01-01T12:00:00.123456Z"')).toEqual({ sql: "u.created_at >= ?", params: [at + 1] });
    expect(compile('meta.created lt "2026-01-01T12:00:00.123456Z"')).toEqual({ sql: "u.created_at < ?", params: [at + 1] });
    expect(compile('meta.created le "2026-01-01T12:00:00.123456Z"')).toEqual({ sql: "u.created_at <= ?", params: [at] });
    expect(compile('meta.created eq "2026-01-01T12:00:00.123456Z"')).toEqual({ sql: "0", params: [] });
    expect(compile('meta.created eq "2026-01-01T14:00:00.123000000+02:00"')).toEqual({ sql: "u.created_at = ?", params: [at] });
    expect(compile('meta.lastModified ge "2026-01-01T12:00:00Z"')).toEqual({ sql: "u.last_modified >= ?", params: [at - 123] });
  });

  it("refuses unknown attributes and impossible comparisons with 400 invalidFilter", () => {
    for (const text of [
      'nope eq "x"',
      'name.nope eq "x"',
      'urn:example:ext:User:foo eq "x"',
      'emails[nope eq "x"]',
      'userName[value eq "x"]',
      'name eq "x"',
      "active gt true",
      'active eq "maybe"',
      'meta.created co "2026"',
      'meta.created gt "yesterday"',
      'meta.version eq "W/\\"1\\""',
      'meta.location eq "x"',
      'groups.type eq "direct"',
      'password eq "x"',
      'x509Certificates.value gt "x"',
      'userName gt null',
    ]) {
      expectScim(() => compile(text), "invalidFilter");
    }
  });

  it("refuses filters that would bind more parameters than D1 allows", () => {
    const many = Array.from({ length: MAX_FILTER_PARAMS + 1 }, (_, i) => `userName co "u${i}"`).join(" or ");
    expectScim(() => compile(many), "invalidFilter");
    const fits = Array.from({ length: MAX_FILTER_PARAMS }, (_, i) => `userName co "u${i}"`).join(" or ");
    expect(compile(fits).params).toHaveLength(MAX_FILTER_PARAMS);
  });

  it("compiles eq terms on one attribute joined by or to one IN list, typed like single comparisons", () => {
    const names = Array.from({ length: 200 }, (_, i) => `U${i}@X`);
    const compiled = compile(names.map((n) => `userName eq "${n}"`).join(" or "));
    expect(compiled).toEqual({
      sql: "u.user_name_norm IN (SELECT value FROM json_each(?))",
      params: [JSON.stringify(names.map((n) => n.toLowerCase()))],
    });
    // Other terms keep their place; the list stands where its attribute's first term stood.
    expect(compile('active eq "true" or userName co "x" or active eq false or userName eq "a"')).toEqual({
      sql: "((u.active IN (SELECT value FROM json_each(?)) OR instr(u.user_name_norm, ?) > 0) OR u.user_name_norm = ?)",
      params: ["[1,0]", "x", "a"],
    });
    // Multi-valued attributes: "some email is a or some email is b" is "some email is in [a, b]".
    expect(compile('emails.value eq "a" or emails.value eq "B" or emails eq "c"')).toEqual({
      sql: "(u.id IN (SELECT e.user_id FROM user_emails e WHERE e.org_id = ? AND e.value_norm IN (SELECT value FROM json_each(?))) OR u.id IN (SELECT e.user_id FROM user_emails e WHERE e.org_id = ? AND e.value_norm = ?))",
      params: [ORG, '["a","b"]', ORG, "c"],
    });
    // null stays IS NULL; an instant no millisecond column can equal is false; duplicates go once.
    expect(compile('title eq null or title eq "vp" or title eq "VP"')).toEqual({
      sql: `(json_extract(u.data_norm, '$."title"') = ? OR json_extract(u.data_norm, '$."title"') IS NULL)`,
      params: ["vp"],
    });
    const at = Date.UTC(2026, 0, 1);
    expect(compile('meta.created eq "2026-01-01T00:00:00Z" or meta.created eq "2026-01-01T00:00:00.0001Z" or meta.created eq "2026-01-01T00:00:00.001Z"')).toEqual({
      sql: "u.created_at IN (SELECT value FROM json_each(?))",
      params: [JSON.stringify([at, at + 1])],
    });
    expect(compile('meta.created eq "2026-01-01T00:00:00.0001Z" or meta.created eq "2026-01-01T00:00:00.0002Z"')).toEqual({ sql: "0", params: [] });
    // A bad value in the list is refused exactly as in a single comparison.
    expectScim(() => compile('active eq true or active eq "maybe"'), "invalidFilter");
  });

  it("joins other chains as balanced trees, so that their depth grows with log2 of their length", () => {
    const chain = (n: number, join: string) => Array.from({ length: n }, (_, i) => `title co "t${i}"`).join(join);
    expect(compile(chain(4, " and ")).sql).toBe(
      `((instr(json_extract(u.data_norm, '$."title"'), ?) > 0 AND instr(json_extract(u.data_norm, '$."title"'), ?) > 0) AND (instr(json_extract(u.data_norm, '$."title"'), ?) > 0 AND instr(json_extract(u.data_norm, '$."title"'), ?) > 0))`,
    );
    const sql = compile(chain(64, " or ")).sql;
    let depth = 0;
    let deepest = 0;
    for (const ch of sql) {
      if (ch === "(") deepest = Math.max(deepest, ++depth);
      if (ch === ")") depth--;
    }
    expect(deepest).toBeLessThanOrEqual(6 + 3);
    // Parentheses around a chain of the same kind do not add a level: `(a or b) or c` is one chain.
    expect(compile('(userName eq "a" or userName eq "b") or userName eq "c"').params).toEqual(['["a","b","c"]']);
  });

  it("refuses, as invalidFilter, a filter that would still nest deeper than D1 runs", () => {
    // 30 `not`s fit the parser (at most 32 levels); inside a value filter, whose subquery SQLite
    // counts on top of the expression around it, they do not fit D1's 100 levels.
    expectScim(() => compile(`emails[${"not ".repeat(30)}value eq "x"]`), "invalidFilter");
    expect(compile(`emails[${"not ".repeat(10)}value eq "x"]`).sql).toContain("NOT COALESCE(");
    expect(compile(`${"not ".repeat(30)}title pr`).sql).toContain("NOT COALESCE(");
  });

  it("compiles any well-formed filter or refuses it with invalidFilter; placeholders always match parameters", () => {
    fc.assert(
      fc.property(filterArb(fc.string({ maxLength: 60 })), (ast) => {
        let compiled;
        try {
          compiled = compileFilter(ast, USER_RESOURCE, USER_ATTRIBUTE_MAP, ORG);
        } catch (e) {
          if (e instanceof ScimError && e.scimType === "invalidFilter") return;
          throw e;
        }
        expect(compiled.sql.split("?").length - 1).toBe(compiled.params.length);
        expect(compiled.sql).not.toMatch(/\bLIKE\b|\bGLOB\b/i);
        for (const p of compiled.params) expect(["string", "number"]).toContain(typeof p);
      }),
      { numRuns: 1000 },
    );
  });
});

describe("sort compiler", () => {
  it("sorts indexed attributes by their (folded) columns, absent values last", () => {
    expect(compileSort("userName", "ascending", USER_RESOURCE, USER_ATTRIBUTE_MAP)).toBe("u.user_name_norm ASC");
    expect(compileSort("Meta.LastModified", "descending", USER_RESOURCE, USER_ATTRIBUTE_MAP)).toBe("u.last_modified DESC");
    // A nullable column sorts its absent values last.
    expect(compileSort("displayName", "ascending", USER_RESOURCE, USER_ATTRIBUTE_MAP)).toBe(
      "u.display_name_norm IS NULL, u.display_name_norm ASC",
    );
    expect(compileSort("title", "ascending", USER_RESOURCE, USER_ATTRIBUTE_MAP)).toContain(`json_extract(u.data_norm, '$."title"')`);
    expect(compileSort("emails", "ascending", USER_RESOURCE, USER_ATTRIBUTE_MAP)).toContain('ORDER BY e."primary" DESC');
  });

  it("refuses unknown or unsortable attributes with 400 invalidValue", () => {
    for (const sortBy of ["nope", "name", "meta.version", 'emails[type eq "work"]', "a b", "addresses"]) {
      expectScim(() => compileSort(sortBy, "ascending", USER_RESOURCE, USER_ATTRIBUTE_MAP), "invalidValue");
    }
  });
});

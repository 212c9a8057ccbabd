/**
 * Long and deep filters through the whole stack, against real D1 (which refuses expressions deeper
 * than 100 levels): every filter the parser accepts answers 200 with exactly what the in-memory
 * evaluator selects, or 400 invalidFilter — never a 500.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { GROUP_ATTRIBUTE_MAP } from "../../src/db/group-attributes";
import { USER_ATTRIBUTE_MAP } from "../../src/db/user-attributes";
import { ScimError } from "../../src/scim/errors";
import { compileFilter } from "../../src/scim/sql/filter";
import type { Filter } from "../../src/scim/filter/ast";
import { matchesResource } from "../../src/scim/filter/evaluate";
import { formatFilter } from "../../src/scim/filter/format";
import { MAX_FILTER_TERMS, parseFilter } from "../../src/scim/filter/parser";
import { GROUP_RESOURCE, USER_RESOURCE } from "../../src/scim/schemas";
import { expectScimError, newScimOrg, viaApp, type ScimClient } from "../support/helpers";
import { createGroup } from "../support/group-helpers";
import { createUser } from "../support/user-helpers";
import { filterArb, MULTI_PATHS, SCALAR_PATHS } from "../support/arbitraries";

const USERS = 30;
const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

let org: ScimClient;
let users: Record<string, unknown>[];
let groups: Record<string, unknown>[];

/** Ids the filter selects: through GET, and the same through POST /.search. */
async function selected(path: "/Users" | "/Groups", filter: string): Promise<{ status: number; ids?: string[]; body: any }> {
  const res = await org.call("GET", `${path}?count=200&filter=${encodeURIComponent(filter)}`);
  const search = await org.call("POST", `${path}/.search`, { filter, count: 200 });
  expect(search.status, filter.slice(0, 200)).toBe(res.status);
  if (res.status !== 200) return { status: res.status, body: res.body };
  const ids = res.body.Resources.map((r: { id: string }) => r.id).sort();
  expect(search.body.Resources.map((r: { id: string }) => r.id).sort()).toEqual(ids);
  expect(res.body.totalResults).toBe(ids.length);
  return { status: 200, ids, body: res.body };
}

function expected(resources: Record<string, unknown>[], filter: string, schema = USER_RESOURCE): string[] {
  return resources.filter((r) => matchesResource(parseFilter(filter), r, schema)).map((r) => r.id as string).sort();
}

beforeAll(async () => {
  org = await newScimOrg({ send: viaApp() });
  for (let i = 0; i < USERS; i++) {
    await createUser(org, {
      userName: `user${i}@example.com`,
      displayName: `User ${i}`,
      name: { givenName: `Given${i % 7}`, familyName: `Family${i % 5}` },
      active: i % 3 !== 0,
      title: i % 4 === 0 ? "VP" : undefined,
      emails: [{ value: `user${i}@example.com`, type: i % 2 ? "work" : "home", primary: true }],
      [ENT]: { employeeNumber: `E${i}`, department: i % 2 ? "Sales" : "Engineering" },
    });
  }
  const all = await org.call("GET", "/Users?count=200");
  users = all.body.Resources;
  for (let i = 0; i < 12; i++) {
    await createGroup(org, { displayName: `Group ${i}`, externalId: `ext-${i}`, members: users.slice(i, i + 3).map((u) => ({ value: u.id })) });
  }
  groups = (await org.call("GET", "/Groups?count=200")).body.Resources;
});

describe("long filters run on D1", () => {
  it("answers an or-chain of 45 to 200 eq terms on one attribute (a 500 before: 'Expression tree is too large')", async () => {
    for (const n of [45, 50, 99, 200]) {
      // Every other name exists; the rest match nobody.
      const names = Array.from({ length: n }, (_, i) => (i % 2 ? `nobody${i}@example.com` : `USER${i % USERS}@Example.com`));
      const filter = names.map((name) => `userName eq "${name}"`).join(" or ");
      const got = await selected("/Users", filter);
      expect(got.status, `${n} terms`).toBe(200);
      expect(got.ids).toEqual(expected(users, filter));
      expect(got.ids!.length).toBe(new Set(names.filter((x) => x.startsWith("USER"))).size);
    }
  });

  it("answers 200 eq terms on a multi-valued attribute, on ids and on group members", async () => {
    const emails = Array.from({ length: 200 }, (_, i) => `emails.value eq "user${i * 3}@example.com"`).join(" or ");
    expect((await selected("/Users", emails)).ids).toEqual(expected(users, emails));
    const ids = Array.from({ length: 200 }, (_, i) => `id eq "${i < USERS ? users[i].id : `missing-${i}`}"`).join(" OR ");
    expect((await selected("/Users", ids)).ids).toHaveLength(USERS);
    const members = Array.from({ length: 200 }, (_, i) => `members.value eq "${i % 50 === 0 ? users[4].id : `missing-${i}`}"`).join(" or ");
    const got = await selected("/Groups", members);
    expect(got.ids).toEqual(groups.filter((g) => (g.members as { value: string }[]).some((m) => m.value === users[4].id)).map((g) => g.id).sort());
    expect(got.ids).toHaveLength(3);
  });

  it("answers a 60-term mixed and/or filter over several attributes exactly", async () => {
    const terms = [
      (i: number) => `userName eq "user${i}@example.com"`,
      (i: number) => `name.familyName eq "family${i % 5}"`,
      (i: number) => `displayName co "${i % 10}"`,
      (i: number) => `active eq ${i % 2 === 0}`,
      (i: number) => `emails[value sw "user${i % 10}"]`,
      (i: number) => `title pr`,
      (i: number) => `${ENT}:department eq "sales"`,
      (i: number) => `not (name.givenName eq "Given${i % 7}")`,
      (i: number) => `meta.created gt "2020-01-01T00:00:00Z"`,
      (i: number) => `externalId pr`,
    ];
    // Ten groups of six terms: and within a group, or between groups (60 terms).
    const filter = Array.from({ length: 10 }, (_, g) =>
      `(${Array.from({ length: 6 }, (_, t) => terms[(g + t * 3) % terms.length](g * 6 + t)).join(g % 2 ? " and " : " or ")})`,
    ).join(" or ");
    expect(filter.split(/ and | or /).length).toBe(60);
    const got = await selected("/Users", filter);
    expect(got.status).toBe(200);
    expect(got.ids).toEqual(expected(users, filter));
    expect(got.ids!.length).toBeGreaterThan(0);
    // The same terms all joined by `and`, and all by `or`.
    const flat = filter.replace(/[()]/g, "").split(/ and | or /);
    for (const join of [" and ", " or "]) {
      const text = flat.map((t) => `(${t})`).join(join);
      const res = await selected("/Users", text);
      expect(res.status, join).toBe(200);
      expect(res.ids).toEqual(expected(users, text));
    }
  });

  it("refuses with 400 invalidFilter, before D1, what would still be too deep", async () => {
    const deep = `emails[${"not ".repeat(30)}value eq "x"]`;
    const res = await org.call("GET", `/Users?filter=${encodeURIComponent(deep)}`);
    expectScimError(res, 400, "invalidFilter");
    expect(res.body.detail).toMatch(/nests too deeply/);
    const tooMany = Array.from({ length: MAX_FILTER_TERMS + 1 }, (_, i) => `userName eq "u${i}"`).join(" or ");
    expectScimError(await org.call("POST", "/Users/.search", { filter: tooMany }), 400, "invalidFilter");
  });
});

describe("the depth the compiler allows", () => {
  /** `shape(k)` for the largest k the compiler accepts (k ≤ 31, the parser's own limit). */
  function deepestAccepted(shape: (k: number) => string, schema = USER_RESOURCE, map = USER_ATTRIBUTE_MAP): number {
    let k = 0;
    while (k < 31) {
      try {
        compileFilter(parseFilter(shape(k + 1)), schema, map, "org");
      } catch (e) {
        if (e instanceof ScimError && e.scimType === "invalidFilter") break;
        throw e;
      }
      k++;
    }
    return k;
  }

  const nest = (k: number, inner: string, a: string, b: string) => {
    let text = inner;
    for (let i = 0; i < k; i++) text = `${i % 2 ? a : b} ${i % 2 ? "and" : "or"} (${text})`;
    return text;
  };

  const shapes: [string, "/Users" | "/Groups", (k: number) => string][] = [
    ["not inside a child-table value filter", "/Users", (k) => `emails[${"not ".repeat(k)}value eq "x"]`],
    ["not inside a JSON value filter", "/Users", (k) => `emails[${"not ".repeat(k)}display eq "x"]`],
    ["nesting inside a child-table value filter", "/Users", (k) => `emails[${nest(k, 'value eq "x"', 'type eq "work"', 'value co "y"')}]`],
    ["nesting inside a JSON value filter", "/Users", (k) => `phoneNumbers[${nest(k, 'value eq "x"', 'type eq "work"', 'display co "y"')}]`],
    ["nesting of value filters", "/Users", (k) => nest(k, 'emails[value eq "x"]', 'emails[type eq "work"]', 'addresses[country eq "x"]')],
    ["not inside a member filter", "/Groups", (k) => `members[${"not ".repeat(k)}value eq "x"]`],
    ["nesting of member filters", "/Groups", (k) => nest(k, 'members[display co "x"]', 'members.value eq "a"', 'displayName sw "G"')],
  ];
  for (const [what, path, shape] of shapes) {
    it(`runs the deepest ${what} it accepts, and refuses one level more with 400 invalidFilter`, async () => {
      const resource = path === "/Users" ? USER_RESOURCE : GROUP_RESOURCE;
      const k = deepestAccepted(shape, resource, path === "/Users" ? USER_ATTRIBUTE_MAP : GROUP_ATTRIBUTE_MAP);
      expect(k, "the boundary is within the parser's limits").toBeGreaterThan(3);
      for (const query of ["", "&sortBy=displayName", "&sortBy=meta.lastModified&sortOrder=descending"]) {
        const ok = await org.call("GET", `${path}?filter=${encodeURIComponent(shape(k))}${query}`);
        expect(ok.status, `${shape(k)} ${query}`).toBe(200);
      }
      if (k < 31) expectScimError(await org.call("GET", `${path}?filter=${encodeURIComponent(shape(k + 1))}`), 400, "invalidFilter");
    });
  }
});

/** Filters of long chains and deep nesting, over attributes of every storage kind. */
function longFilterArb(): fc.Arbitrary<Filter> {
  const strings = fc.oneof(
    fc.constantFrom("user1@example.com", "USER2@example.com", "family1", "Given3", "vp", "sales", "work", "1", "e1", "E12", "x"),
    fc.string({ maxLength: 3 }),
  );
  const paths = [...SCALAR_PATHS, ...MULTI_PATHS];
  const eqRun = fc
    .tuple(fc.constantFrom(...paths), fc.array(strings, { minLength: 2, maxLength: 120 }))
    .map(([path, values]): Filter => ({ type: "or", filters: values.map((value) => ({ type: "compare", path, op: "eq", value })) }));
  const small = filterArb(strings);
  const chain = (operand: fc.Arbitrary<Filter>) =>
    fc
      .tuple(fc.constantFrom("and" as const, "or" as const), fc.array(operand, { minLength: 2, maxLength: 60 }))
      .map(([type, filters]): Filter => ({ type, filters }));
  const nested = fc.letrec<{ f: Filter }>((tie) => ({
    f: fc.oneof(
      { depthSize: "medium", maxDepth: 12 },
      small,
      eqRun,
      chain(tie("f")),
      tie("f").map((filter): Filter => ({ type: "not", filter })),
    ),
  })).f;
  return fc.oneof(eqRun, chain(fc.oneof(small, eqRun)), nested);
}

describe("generated long and deep filters", () => {
  it("answer 200 with exactly what the evaluator selects, or 400 invalidFilter; never a 5xx", async () => {
    let answered = 0;
    await fc.assert(
      fc.asyncProperty(longFilterArb(), async (ast) => {
        const text = formatFilter(ast);
        let parsed: Filter;
        try {
          parsed = parseFilter(text);
        } catch (e) {
          if (!(e instanceof ScimError)) throw e;
          // Too many terms or too deep for the parser: the service says so the same way.
          expectScimError(await org.call("POST", "/Users/.search", { filter: text }), 400, "invalidFilter");
          return;
        }
        const res = await org.call("POST", "/Users/.search", { filter: text, count: 200 });
        expect(res.status, text.slice(0, 300)).toBeLessThan(500);
        if (res.status === 400) {
          expect(res.body.scimType, text.slice(0, 300)).toBe("invalidFilter");
          return;
        }
        expect(res.status).toBe(200);
        let want: string[];
        try {
          want = users.filter((r) => matchesResource(parsed, r, USER_RESOURCE)).map((r) => r.id as string).sort();
        } catch (e) {
          if (e instanceof ScimError) return; // the evaluator refuses what SQL could answer (never the reverse)
          throw e;
        }
        answered++;
        expect(res.body.Resources.map((r: { id: string }) => r.id).sort(), text.slice(0, 300)).toEqual(want);
      }),
      { numRuns: 150 },
    );
    // Most generated filters must run, or the property says little.
    expect(answered).toBeGreaterThan(50);
  }, 120_000);

  it("on /Groups too", async () => {
    const ids = fc.constantFrom(...users.slice(0, 15).map((u) => u.id as string), "missing");
    const leaf = fc.oneof(
      fc.tuple(fc.constantFrom("displayName", "externalId", "members.value", "id"), fc.constantFrom("eq", "co", "sw", "ne"), fc.oneof(ids, fc.constantFrom("Group 1", "group 10", "ext-3", "1"))).map(
        ([path, op, value]) => `${path} ${op} "${value}"`,
      ),
      ids.map((id) => `members[value eq "${id}"]`),
      fc.constant("members pr"),
    );
    const filter = fc.letrec<{ f: string }>((tie) => ({
      f: fc.oneof(
        { maxDepth: 6 },
        leaf,
        fc.tuple(fc.constantFrom(" and ", " or "), fc.array(tie("f"), { minLength: 2, maxLength: 80 })).map(([j, fs]) => `(${fs.join(j)})`),
        tie("f").map((f) => `not (${f})`),
      ),
    })).f;
    await fc.assert(
      fc.asyncProperty(filter, async (text) => {
        const res = await org.call("POST", "/Groups/.search", { filter: text, count: 200, excludedAttributes: "members" });
        expect(res.status, text.slice(0, 300)).toBeLessThan(500);
        if (res.status === 400) {
          expect(res.body.scimType).toBe("invalidFilter");
          return;
        }
        expect(res.body.Resources.map((g: { id: string }) => g.id).sort(), text.slice(0, 300)).toEqual(expected(groups, text, GROUP_RESOURCE));
      }),
      { numRuns: 100 },
    );
  }, 120_000);
});

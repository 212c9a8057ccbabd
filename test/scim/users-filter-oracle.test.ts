/**
 * The compiled SQL against the in-memory evaluator: random filters over a seeded org must select
 * exactly the users `matchesResource` selects from their rendered resources.
 */
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { formatFilter } from "../../src/scim/filter/format";
import { matchesResource } from "../../src/scim/filter/evaluate";
import { USER_RESOURCE } from "../../src/scim/schemas";
import { ScimError } from "../../src/scim/errors";
import { manualClock, newScimOrg, viaApp, type ScimClient, HEAVY_TEST_TIMEOUT } from "../support/helpers";
import { filterArb } from "../support/arbitraries";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const T0 = Date.UTC(2026, 0, 1, 12, 0, 0, 0);

const SEED: Record<string, unknown>[] = [
  {
    userName: "alice@example.com",
    name: { givenName: "Alice", familyName: "Smith", formatted: "Alice Smith" },
    displayName: "Alice",
    title: "VP",
    emails: [
      { value: "alice@example.com", type: "work", primary: true },
      { value: "Alice@Home.example", type: "home", display: "Home" },
    ],
    phoneNumbers: [{ value: "+1 555 0100", type: "mobile" }],
    [ENT]: { employeeNumber: "E1", department: "Sales", manager: { value: "m-1" } },
  },
  {
    userName: "ÉMILE",
    name: { givenName: "Émile", familyName: "Zola" },
    displayName: "émile z",
    externalId: "Ext-1",
    active: false,
    emails: [{ value: "EMILE@example.com", type: "Work" }],
    addresses: [{ locality: "Paris", country: "FR", type: "work", primary: true }],
    roles: [{ value: "admin" }],
  },
  {
    userName: "bob",
    nickName: "Bobby",
    emails: [{ value: "shared@example.com", type: "work" }],
    [ENT]: { employeeNumber: "e1" },
  },
  {
    userName: "carol",
    name: { familyName: "smith" },
    emails: [{ value: "shared@example.com", type: "other", primary: true }],
    phoneNumbers: [{ value: "+1", type: "work" }, { value: "+2", type: "mobile", primary: true }],
  },
  { userName: "dave", externalId: "ext-1", title: "vp" },
  { userName: "Øyvind", displayName: "Ø", active: true, roles: [{ value: "Admin", primary: true }, { value: "user" }] },
];

const POOL = [
  "alice", "ALICE", "Alice@Example.com", "émile", "ÉMILE", "Émile", "e", "é", "É", "@example.com", "example", "work", "WORK",
  "home", "mobile", "other", "smith", "Smith", "vp", "VP", "e1", "E1", "Ext-1", "ext-1", "+1", "+1 555 0100", "paris", "fr",
  "admin", "Admin", "m-1", "shared@example.com", "sales", "ø", "Ø", "bob", "", "x", "z",
];

describe("compiled filters select exactly what the evaluator selects", () => {
  let org: ScimClient;
  let resources: Record<string, unknown>[];

  beforeAll(async () => {
    const time = manualClock(T0);
    org = await newScimOrg({ send: viaApp({ clock: time.clock }) });
    for (const body of SEED) {
      const res = await org.call("POST", "/Users", body);
      expect(res.status).toBe(201);
      time.advance(1); // created at T0, T0+1ms, ...
    }
    const all = await org.call("GET", "/Users?count=200");
    resources = all.body.Resources;
    expect(resources).toHaveLength(SEED.length);
  });

  it("on random filters", async () => {
    const strings = fc.oneof(fc.constantFrom(...POOL), fc.string({ maxLength: 3 }));
    const instants = fc
      .tuple(fc.integer({ min: -1, max: SEED.length }), fc.constantFrom("", ".5", ".000", ".000999", ".001", ".0015"), fc.constantFrom("Z", "+01:00"))
      .map(([ms, frac, zone]) => {
        const d = new Date(T0 + ms + (zone === "Z" ? 0 : 3_600_000));
        return d.toISOString().slice(0, 19).replace("T", "T") + (frac || "") + zone;
      });
    await fc.assert(
      fc.asyncProperty(filterArb(fc.oneof({ weight: 4, arbitrary: strings }, { weight: 1, arbitrary: instants })), async (ast) => {
        const text = formatFilter(ast);
        const res = await org.call("GET", `/Users?count=200&filter=${encodeURIComponent(text)}`);
        let expected: string[];
        try {
          expected = resources.filter((r) => matchesResource(ast, r, USER_RESOURCE)).map((r) => r.id as string).sort();
        } catch (e) {
          if (!(e instanceof ScimError)) throw e;
          expect(res.status, text).toBe(400);
          return;
        }
        if (res.status === 400) {
          // The compiler may refuse what the evaluator can answer (dateTime outside meta), never the reverse.
          expect(res.body.scimType, text).toBe("invalidFilter");
          return;
        }
        expect(res.status, text).toBe(200);
        const got = res.body.Resources.map((r: { id: string }) => r.id).sort();
        expect(got, text).toEqual(expected);
        expect(res.body.totalResults, text).toBe(expected.length);
      }),
      { numRuns: 400 },
    );
  }, HEAVY_TEST_TIMEOUT);
});

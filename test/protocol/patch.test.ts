import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors";
import { BULK_MAX_OPERATIONS } from "../../src/scim/limits";
import { applyPatch } from "../../src/scim/patch/apply";
import { normalisePatch } from "../../src/scim/patch/normalise";
import { canonicalResource } from "../../src/scim/resource/canonical";
import { patchUser, userFromBody } from "../../src/scim/resource/user";
import { USER_RESOURCE } from "../../src/scim/schemas";
import { scimErrorOf } from "../support/scim-error";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
const body = (...Operations: unknown[]) => ({ schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations });

const base = () =>
  userFromBody({
    userName: "alice",
    name: { givenName: "Alice", familyName: "Smith" },
    emails: [
      { value: "alice@work.example", type: "work", primary: true },
      { value: "alice@home.example", type: "home" },
    ],
  });

describe("PATCH normaliser", () => {
  it("reads op names in any case and always yields pathed operations", () => {
    const ops = normalisePatch(
      body({ op: "Replace", path: "active", value: "False" }, { OP: "ADD", Path: "title", Value: "VP" }, { op: "remove", path: "nickName" }),
      USER_RESOURCE,
    );
    expect(ops.map((o) => [o.op, o.path.attribute.attr.name, o.value])).toEqual([
      ["replace", "active", false],
      ["add", "title", "VP"],
      ["remove", "nickName", undefined],
    ]);
  });

  it("expands no-path values with nested, dotted and URN-qualified keys", () => {
    const ops = normalisePatch(
      body({
        op: "replace",
        value: {
          "name.givenName": "Al",
          name: { familyName: "Smyth" },
          [`${ENT}:employeeNumber`]: "42",
          [ENT]: { department: "R&D" },
          ACTIVE: "true",
          id: "ignored",
          meta: { version: "x" },
          schemas: ["whatever"],
          notAnAttribute: 1,
          password: "secret",
        },
      }),
      USER_RESOURCE,
    );
    expect(ops.map((o) => [o.op, `${o.path.attribute.extension ? "ent:" : ""}${o.path.attribute.attr.name}${o.path.sub ? `.${o.path.sub.name}` : ""}`, o.value])).toEqual([
      ["replace", "name.givenName", "Al"],
      ["replace", "name.familyName", "Smyth"],
      ["replace", "ent:employeeNumber", "42"],
      ["replace", "ent:department", "R&D"],
      ["replace", "active", true],
    ]);
  });

  it("turns null and empty values into removals, but adding an empty list adds nothing", () => {
    const ops = normalisePatch(
      body(
        { op: "replace", path: "title", value: null },
        { op: "add", path: "nickName", value: "" },
        { op: "replace", value: { displayName: null } },
        { op: "add", path: "emails", value: [] },
        { op: "replace", path: "phoneNumbers", value: [] },
      ),
      USER_RESOURCE,
    );
    expect(ops.map((o) => [o.op, o.path.attribute.attr.name])).toEqual([
      ["remove", "title"],
      ["remove", "nickName"],
      ["remove", "displayName"],
      ["remove", "phoneNumbers"],
    ]);
  });

  it("parses value-filtered and URN-prefixed paths", () => {
    const [op] = normalisePatch(body({ op: "Add", path: 'emails[type eq "work"].value', value: "x@y" }), USER_RESOURCE);
    expect(op.path.attribute.attr.name).toBe("emails");
    expect(op.path.filter).toEqual({ type: "compare", path: { name: "type" }, op: "eq", value: "work" });
    expect(op.path.sub?.name).toBe("value");
    const [manager] = normalisePatch(body({ op: "Add", path: `${ENT}:manager`, value: { value: "m1" } }), USER_RESOURCE);
    expect(manager.path.attribute.extension?.id).toBe(ENT);
    expect(manager.value).toEqual({ value: "m1" });
  });

  it("drops write-only attributes and refuses explicit paths to read-only ones", () => {
    expect(normalisePatch(body({ op: "replace", path: "password", value: "p" }), USER_RESOURCE)).toEqual([]);
    for (const path of ["id", "meta.created", "meta", "groups", `${ENT}:manager.displayName`]) {
      const e = scimErrorOf(() => normalisePatch(body({ op: "replace", path, value: "x" }), USER_RESOURCE));
      expect([e.status, e.scimType], path).toEqual([400, "mutability"]);
    }
  });

  it("refuses malformed requests with the right scimType", () => {
    const cases: [unknown, string][] = [
      [{}, "invalidSyntax"],
      [{ Operations: {} }, "invalidSyntax"],
      [body("replace"), "invalidSyntax"],
      [body({ op: "move", path: "title", value: "x" }), "invalidSyntax"],
      [body({ path: "title", value: "x" }), "invalidSyntax"],
      [body({ op: "remove" }), "noTarget"],
      [body({ op: "replace", value: "x" }), "invalidValue"],
      [body({ op: "replace", path: "nope", value: "x" }), "invalidPath"],
      [body({ op: "replace", path: "name.nope", value: "x" }), "invalidPath"],
      [body({ op: "replace", path: 'emails[nope eq "x"].value', value: "x" }), "invalidPath"],
      [body({ op: "replace", path: 'emails[type eq "x"', value: "x" }), "invalidPath"],
      [body({ op: "replace", path: 'title[value eq "x"]', value: "x" }), "invalidPath"],
      [body({ op: "replace", path: 'emails[primary eq "maybe"]', value: {} }), "invalidPath"],
      [body({ op: "replace", path: 42, value: "x" }), "invalidPath"],
      [body({ op: "replace", path: "active", value: "maybe" }), "invalidValue"],
      [body({ op: "replace", path: "userName", value: { a: 1 } }), "invalidValue"],
      [body({ op: "replace", path: "emails", value: "x@y" }), "invalidValue"],
      [body({ op: "replace", path: "name", value: "Bob" }), "invalidValue"],
    ];
    for (const [request, scimType] of cases) {
      const e = scimErrorOf(() => normalisePatch(request as Record<string, unknown>, USER_RESOURCE));
      expect([e.status, e.scimType], JSON.stringify(request)).toEqual([400, scimType]);
    }
  });

  it("refuses more operations than advertised with 413", () => {
    const ops = Array.from({ length: BULK_MAX_OPERATIONS + 1 }, () => ({ op: "add", path: "title", value: "x" }));
    expect(scimErrorOf(() => normalisePatch(body(...ops), USER_RESOURCE)).status).toBe(413);
    expect(normalisePatch(body(...ops.slice(1)), USER_RESOURCE)).toHaveLength(BULK_MAX_OPERATIONS);
  });
});

describe("PATCH applier", () => {
  it("treats an empty Operations list as a no-op", () => {
    expect(patchUser(base(), body())).toEqual(base());
  });

  it("creates the value when a filtered add or replace matches nothing (Entra)", () => {
    const next = patchUser(
      base(),
      body(
        { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555" },
        { op: "Replace", path: 'addresses[type eq "work"].locality', value: "Paris" },
        { op: "Add", path: 'emails[type eq "other"]', value: { value: "o@x", display: "Other" } },
      ),
    );
    expect(next.phoneNumbers).toEqual([{ value: "+1 555", type: "mobile" }]);
    expect(next.addresses).toEqual([{ locality: "Paris", type: "work" }]);
    expect((next.emails as unknown[])[2]).toEqual({ value: "o@x", display: "Other", type: "other" });
  });

  it("updates the matching values only", () => {
    const next = patchUser(base(), body({ op: "replace", path: 'emails[type eq "WORK"].value', value: "new@work.example" }));
    expect(next.emails).toEqual([
      { value: "new@work.example", type: "work", primary: true },
      { value: "alice@home.example", type: "home" },
    ]);
  });

  it("answers noTarget when nothing matches and the filter does not describe a value", () => {
    const e = scimErrorOf(() => patchUser(base(), body({ op: "add", path: 'emails[value co "zzz"].type', value: "x" })));
    expect([e.status, e.scimType]).toEqual([400, "noTarget"]);
  });

  it("succeeds when a removal matches nothing", () => {
    const next = patchUser(
      base(),
      body({ op: "remove", path: 'emails[type eq "nope"]' }, { op: "remove", path: "title" }, { op: "remove", path: `${ENT}:manager` }),
    );
    expect(next).toEqual(base());
  });

  it("removes filtered values, sub-attributes, and values listed in a remove", () => {
    expect(patchUser(base(), body({ op: "remove", path: 'emails[type eq "home"]' })).emails).toEqual([
      { value: "alice@work.example", type: "work", primary: true },
    ]);
    expect(patchUser(base(), body({ op: "remove", path: 'emails[type eq "work"].primary' })).emails).toEqual([
      { value: "alice@work.example", type: "work" },
      { value: "alice@home.example", type: "home" },
    ]);
    // An email without its address is dropped rather than kept half-empty.
    expect(patchUser(base(), body({ op: "remove", path: 'emails[type eq "work"].value' })).emails).toEqual([
      { value: "alice@home.example", type: "home" },
    ]);
    expect(patchUser(base(), body({ op: "remove", path: "emails", value: [{ value: "ALICE@home.example" }] })).emails).toEqual([
      { value: "alice@work.example", type: "work", primary: true },
    ]);
    expect(patchUser(base(), body({ op: "remove", path: "emails" })).emails).toBeUndefined();
  });

  it("keeps at most one primary value: the one just written wins", () => {
    const added = patchUser(base(), body({ op: "add", path: "emails", value: [{ value: "n@x", primary: "True" }] }));
    expect((added.emails as { primary?: boolean }[]).map((e) => e.primary)).toEqual([undefined, undefined, true]);
    const promoted = patchUser(base(), body({ op: "replace", path: 'emails[type eq "home"].primary', value: true }));
    expect((promoted.emails as { primary?: boolean }[]).map((e) => e.primary)).toEqual([undefined, true]);
    const created = userFromBody({ userName: "x", emails: [{ value: "a@x", primary: true }, { value: "b@x", primary: true }] });
    expect((created.emails as { primary?: boolean }[]).filter((e) => e.primary)).toHaveLength(1);
  });

  it("adds values already present only once", () => {
    const next = patchUser(base(), body({ op: "add", path: "emails", value: [{ value: "alice@home.example", type: "home" }] }));
    expect(next.emails).toEqual(base().emails);
  });

  it("merges sub-attributes into complex attributes and clears them with null", () => {
    const next = patchUser(base(), body({ op: "replace", path: "name", value: { givenName: "Al", middleName: "M" } }));
    expect(next.name).toEqual({ familyName: "Smith", givenName: "Al", middleName: "M" });
    const cleared = patchUser(base(), body({ op: "replace", value: { name: { givenName: null } } }));
    expect(cleared.name).toEqual({ familyName: "Smith" });
  });

  it("accepts every shape Entra sends for the manager", () => {
    for (const value of [{ value: "m1" }, "m1", [{ value: "m1" }], { Value: "m1", displayName: "ignored" }]) {
      const next = patchUser(base(), body({ op: "Add", path: `${ENT}:manager`, value }));
      expect(next[ENT], JSON.stringify(value)).toEqual({ manager: { value: "m1" } });
    }
    const withManager = patchUser(base(), body({ op: "Add", path: `${ENT}:manager`, value: "m1" }));
    expect(patchUser(withManager, body({ op: "Remove", path: `${ENT}:manager` }))[ENT]).toBeUndefined();
    expect(patchUser(withManager, body({ op: "Replace", path: `${ENT}:manager`, value: "" }))[ENT]).toBeUndefined();
    expect(patchUser(withManager, body({ op: "remove", path: ENT }))[ENT]).toBeUndefined();
    expect(patchUser(base(), body({ op: "add", path: ENT, value: { employeeNumber: 7 } }))[ENT]).toEqual({ employeeNumber: "7" });
  });

  it("applies all operations or none, and never changes its input", () => {
    const current = base();
    const snapshot = structuredClone(current);
    expect(() =>
      patchUser(current, body({ op: "replace", path: "title", value: "VP" }, { op: "replace", path: "nope", value: 1 })),
    ).toThrow(ScimError);
    expect(() => patchUser(current, body({ op: "remove", path: "userName" }))).toThrow(ScimError);
    patchUser(current, body({ op: "replace", path: 'emails[type eq "work"].value', value: "changed@x" }));
    expect(current).toEqual(snapshot);
  });
});

const PATHS = [
  "active", "ACTIVE", "userName", "title", "name", "name.givenName", "emails", "emails.value", 'emails[type eq "work"]',
  'emails[type eq "work"].value', 'emails[value co "x"].primary', 'phoneNumbers[type eq "mobile"].value', "addresses",
  `${ENT}:manager`, `${ENT}:manager.value`, `${ENT}:employeeNumber`, ENT, "id", "meta.created", "password", "groups",
  "nope", "emails[", "", "x509Certificates", 'roles[primary eq true].display', "members",
];

const jsonValue = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.string({ maxLength: 5 }),
    fc.constantFrom("True", "false", "", null, 0, 1.5, true),
    fc.array(tie("v"), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom("value", "type", "primary", "givenName", "display", "Value", "x", ENT, "name.givenName"), tie("v"), { maxKeys: 3 }),
  ),
})).v;

const operation = fc.record(
  {
    op: fc.constantFrom("add", "Add", "replace", "Replace", "remove", "REMOVE", "bogus"),
    path: fc.oneof(fc.constantFrom(...PATHS), fc.string({ maxLength: 6 })),
    value: jsonValue,
  },
  { requiredKeys: ["op"] },
);

describe("PATCH engine properties", () => {
  it("throws nothing but ScimError, and leaves a canonical resource when it succeeds", () => {
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 6 }), (ops) => {
        let next;
        try {
          next = patchUser(base(), body(...ops));
        } catch (e) {
          if (e instanceof ScimError) {
            expect([400, 413]).toContain(e.status);
            return;
          }
          throw e;
        }
        expect(canonicalResource(next, USER_RESOURCE)).toEqual(next);
        expect(typeof next.userName).toBe("string");
        const primaries = ((next.emails as { primary?: boolean }[] | undefined) ?? []).filter((e) => e.primary === true);
        expect(primaries.length).toBeLessThanOrEqual(1);
        expect(JSON.stringify(next)).not.toContain('"password"');
      }),
      { numRuns: 2000 },
    );
  });

  it("applying the same operations to a canonical resource twice is stable for replace-only requests", () => {
    fc.assert(
      fc.property(fc.array(operation.map((o) => ({ ...o, op: "replace" })), { maxLength: 4 }), (ops) => {
        let once;
        try {
          once = applyPatch(base(), normalisePatch(body(...ops), USER_RESOURCE), USER_RESOURCE);
        } catch (e) {
          if (e instanceof ScimError) return;
          throw e;
        }
        const twice = applyPatch(once, normalisePatch(body(...ops), USER_RESOURCE), USER_RESOURCE);
        expect(twice).toEqual(once);
      }),
      { numRuns: 1000 },
    );
  });
});

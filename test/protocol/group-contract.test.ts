/**
 * The Group contract as pure functions: bodies → a whole group, PATCH bodies → attribute changes and
 * member set operations. The member operations are checked against the generic in-memory PATCH engine
 * (which Users use), so that set operations in SQL mean exactly what the in-memory engine would do.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors";
import { applyPatch } from "../../src/scim/patch/apply";
import { normalisePatch } from "../../src/scim/patch/normalise";
import { groupChangeFromPatch, groupData, groupFromBody, renderGroup, type MemberOp } from "../../src/scim/resource/group";
import { GROUP_RESOURCE } from "../../src/scim/schemas";
import { scimErrorOf } from "../support/scim-error";

function expectScimErrorThrown(fn: () => unknown, status: number, scimType?: string) {
  const error = scimErrorOf(fn);
  expect({ status: error.status, scimType: error.scimType }, error.detail).toEqual({ status, scimType });
}

describe("groupFromBody", () => {
  it("reads every body shape the providers send", () => {
    expect(
      groupFromBody({
        schemas: [GROUP_RESOURCE.core.id, "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group"],
        id: "ignored",
        meta: { resourceType: "Group" },
        DISPLAYNAME: "Team",
        ExternalId: 42,
        Members: [{ value: "u1", $ref: null }, { value: "u2", display: "Two", type: "User" }, { display: "no value" }],
        unknown: "dropped",
      }),
    ).toEqual({ displayName: "Team", externalId: "42", members: ["u1", "u2"] });
    expect(groupFromBody({ displayName: "One", members: { value: "u1" } }).members).toEqual(["u1"]);
    expect(groupFromBody({ displayName: "None", members: [] })).toEqual({ displayName: "None", externalId: null, members: [] });
  });

  it("takes members given as bare id strings, as Microsoft's reference collection sends them", () => {
    expect(groupFromBody({ displayName: "G", members: ["u1", "u2", "u1"] }).members).toEqual(["u1", "u2"]);
    expect(groupFromBody({ displayName: "G", members: "u1" }).members).toEqual(["u1"]);
    expect(groupFromBody({ displayName: "G", members: ["u1", { value: "u2", type: "User" }] }).members).toEqual(["u1", "u2"]);
    const change = groupChangeFromPatch({
      Operations: [
        { op: "add", path: "members", value: "u1" },
        { op: "Add", path: "members", value: ["u2", "u3"] },
        { op: "remove", path: "members", value: ["u2"] },
        { op: "replace", path: 'members[value eq "u3"]', value: "u4" },
      ],
    });
    expect(change.memberOps).toEqual([
      { kind: "add", ids: ["u1"] },
      { kind: "add", ids: ["u2", "u3"] },
      { kind: "remove", ids: ["u2"] },
      { kind: "remove", ids: ["u3"] },
      { kind: "add", ids: ["u4"] },
    ]);
  });

  it("says precisely what is wrong with a members value that is neither an object nor an id", () => {
    expect(scimErrorOf(() => groupFromBody({ displayName: "G", members: [true] })).detail).toBe(
      "'members[]' must be an object or an id string, not true",
    );
    expect(scimErrorOf(() => groupFromBody({ displayName: "G", members: 7 })).detail).toBe("'members' must be a list of objects or ids, not 7");
    // Other multi-valued attributes still need objects: an email is not an id.
    expect(scimErrorOf(() => groupFromBody({ displayName: "G", members: [{ value: ["u1"] }] })).scimType).toBe("invalidValue");
  });

  it("refuses a missing displayName, nested groups and wrong types", () => {
    for (const body of [
      {},
      { displayName: "" },
      { displayName: { x: 1 } },
      { displayName: "G", members: [{ value: "g1", type: "Group" }] },
      { displayName: "G", members: [{ value: "g1", $ref: "https://x/scim/v2/Groups/g1" }] },
      { displayName: "G", members: [{ value: "u1", type: "robot" }] },
      { displayName: "G", members: [true] },
      { displayName: "G", members: [["u1"]] },
      { displayName: "G", members: 7 },
    ]) {
      expectScimErrorThrown(() => groupFromBody(body), 400, "invalidValue");
    }
  });
});

describe("groupChangeFromPatch", () => {
  it("turns each provider's shape into member operations, in order", () => {
    const change = groupChangeFromPatch({
      Operations: [
        { op: "add", path: "members", value: [{ value: "u1" }] },
        { op: "Remove", path: "members", value: [{ value: "u2", $ref: null }] },
        { op: "remove", path: 'members[value eq "u3"]' },
        { op: "remove", path: "members" },
        { op: "replace", path: "members", value: [{ value: "u4" }] },
        { op: "Replace", value: { id: "g1", displayName: "Renamed", externalId: "e" } },
        { op: "replace", path: "members", value: [] },
        { op: "add", path: 'members[value eq "u5"]', value: { value: "u5" } },
        { op: "replace", path: 'members[value eq "u5"].value', value: "u6" },
      ],
    });
    expect(change).toEqual({
      displayName: "Renamed",
      externalId: "e",
      memberOps: [
        { kind: "add", ids: ["u1"] },
        { kind: "remove", ids: ["u2"] },
        { kind: "remove", ids: ["u3"] },
        { kind: "removeAll" },
        { kind: "replace", ids: ["u4"] },
        { kind: "removeAll" },
        { kind: "add", ids: ["u5"] },
        { kind: "remove", ids: ["u5"] },
        { kind: "add", ids: ["u6"] },
      ],
    });
  });

  it("refuses unknown paths, read-only paths, unsupported member selections and malformed ops", () => {
    const cases: [unknown[], string][] = [
      [[{ op: "add", path: "nickName", value: "x" }], "invalidPath"],
      [[{ op: "add", path: "members[", value: "x" }], "invalidPath"],
      [[{ op: "remove", path: 'members[display eq "x"]' }], "invalidPath"],
      [[{ op: "remove", path: 'members[value ne "x"]' }], "invalidPath"],
      [[{ op: "replace", path: "members.value", value: "x" }], "invalidPath"],
      [[{ op: "add", path: 'members[value eq "a" or value eq "b"]', value: { value: "c" } }], "invalidPath"],
      [[{ op: "replace", path: "id", value: "x" }], "mutability"],
      [[{ op: "replace", path: 'members[value eq "a"].display', value: "x" }], "mutability"],
      [[{ op: "move", path: "members" }], "invalidSyntax"],
      [[{ path: "members" }], "invalidSyntax"],
      [["add"], "invalidSyntax"],
      [[{ op: "add", path: "members", value: [false] }], "invalidValue"],
      [[{ op: "add", path: "members", value: [{ value: "g", type: "Group" }] }], "invalidValue"],
      [[{ op: "remove", path: "displayName" }], "invalidValue"],
    ];
    for (const [Operations, scimType] of cases) {
      expectScimErrorThrown(() => groupChangeFromPatch({ Operations }), 400, scimType);
    }
    expectScimErrorThrown(() => groupChangeFromPatch({}), 400, "invalidSyntax");
    expectScimErrorThrown(() => groupChangeFromPatch({ Operations: Array(1001).fill({ op: "add", path: "members", value: [] }) }), 413);
  });
});

const IDS = ["a", "b", "c", "d"];
const id = fc.constantFrom(...IDS);
const opName = (name: string) => fc.constantFrom(name, name.toUpperCase(), name[0].toUpperCase() + name.slice(1));
const memberList = fc.array(id.map((value) => ({ value })), { maxLength: 3 });
const memberOperation = fc.oneof(
  fc.record({ op: fc.oneof(opName("add"), opName("replace")), path: fc.constant("members"), value: memberList }),
  fc.record({ op: opName("remove"), path: fc.constant("members"), value: memberList }),
  fc.record({ op: opName("remove"), path: fc.constant("members") }),
  fc.array(id, { minLength: 1, maxLength: 2 }).chain((ids) =>
    fc.record({ op: opName("remove"), path: fc.constant(`members[${ids.map((i) => `value eq "${i}"`).join(" or ")}]`) }),
  ),
  fc.record({ op: fc.oneof(opName("add"), opName("replace")), path: id.map((i) => `members[value eq "${i}"]`), value: id.map((value) => ({ value })) }),
  fc.record({ op: fc.oneof(opName("add"), opName("replace")), path: id.map((i) => `members[value eq "${i}"].value`), value: id }),
  fc.record({ op: opName("replace"), value: memberList.map((members) => ({ members })) }),
);

/** The member set after member ops, applied to a whole set (what the writer's plan must amount to). */
function applyMemberOps(initial: string[], ops: MemberOp[]): string[] {
  let set = new Set(initial);
  for (const op of ops) {
    if (op.kind === "removeAll" || op.kind === "replace") set = new Set();
    if (op.kind === "add" || op.kind === "replace") op.ids.forEach((i) => set.add(i));
    if (op.kind === "remove") op.ids.forEach((i) => set.delete(i));
  }
  return [...set].sort();
}

describe("member operations", () => {
  it("amount to what the in-memory PATCH engine does to the member list", () => {
    fc.assert(
      fc.property(fc.subarray(IDS), fc.array(memberOperation, { maxLength: 5 }), (initial, Operations) => {
        const body = { Operations };
        const inMemory = applyPatch({ displayName: "G", members: initial.map((value) => ({ value })) }, normalisePatch(body, GROUP_RESOURCE), GROUP_RESOURCE);
        const expected = ((inMemory.members ?? []) as { value: string }[]).map((m) => m.value).sort();
        expect(applyMemberOps(initial, groupChangeFromPatch(body).memberOps)).toEqual([...new Set(expected)].sort());
      }),
      { numRuns: 500 },
    );
  });

  it("never throw anything but a ScimError on random operations", () => {
    const anything = fc.oneof(fc.constantFrom(null, "", "x", 1, true, [], {}, [{}], [{ value: null }], { value: 1 }, [{ value: "a", type: 3 }]), fc.jsonValue());
    const path = fc.oneof(fc.constantFrom(undefined, "members", "displayName", "externalId", "id", 'members[value eq "a"]', "members[value pr]", "members.value", "urn:ietf:params:scim:schemas:core:2.0:Group:displayName"), fc.string({ maxLength: 12 }));
    const op = fc.record({ op: fc.oneof(fc.constantFrom("add", "remove", "replace", "Add"), fc.string({ maxLength: 4 })), path, value: anything }, { requiredKeys: [] });
    fc.assert(
      fc.property(fc.array(op, { maxLength: 4 }), (Operations) => {
        try {
          groupChangeFromPatch({ Operations });
        } catch (e) {
          if (!(e instanceof ScimError)) throw e;
        }
      }),
      { numRuns: 1000 },
    );
  });
});

describe("renderGroup", () => {
  it("renders stored JSON, meta, and members last with display falling back to userName", () => {
    const rendered = renderGroup(
      { id: "g1", version: 3, createdAt: 0, lastModified: 1000, memberCount: 2, data: groupData("Team", "ext") },
      "https://x/scim/v2",
      'W/"3"',
      [
        { userId: "u1", userName: "one", displayName: "One" },
        { userId: "u2", userName: "two", displayName: null },
      ],
    );
    expect(Object.keys(rendered)).toEqual(["schemas", "id", "externalId", "displayName", "meta", "members"]);
    expect(rendered.members).toEqual([
      { value: "u1", display: "One", $ref: "https://x/scim/v2/Users/u1", type: "User" },
      { value: "u2", display: "two", $ref: "https://x/scim/v2/Users/u2", type: "User" },
    ]);
    expect(rendered.meta).toEqual({
      resourceType: "Group",
      created: "1970-01-01T00:00:00.000Z",
      lastModified: "1970-01-01T00:00:01.000Z",
      location: "https://x/scim/v2/Groups/g1",
      version: 'W/"3"',
    });
  });
});

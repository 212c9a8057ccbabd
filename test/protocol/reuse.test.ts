/**
 * The filter compiler and the PATCH normaliser with another resource type's schemas and attribute
 * map, as Groups use them: members in child rows only, membership ops as a canonical list.
 */
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors";
import { GROUP_ATTRIBUTE_MAP } from "../../src/db/group-attributes";
import { compileFilter } from "../../src/scim/sql/filter";
import { parseFilter } from "../../src/scim/filter/parser";
import { normalisePatch } from "../../src/scim/patch/normalise";
import { GROUP_RESOURCE } from "../../src/scim/schemas";

const GROUP = GROUP_RESOURCE;
const GROUP_MAP = GROUP_ATTRIBUTE_MAP;

describe("reuse by another resource type", () => {
  it("compiles members filters to the membership table, and refuses members sub-attributes it has no column for", () => {
    expect(compileFilter(parseFilter('members[value eq "u1"] and DisplayName eq "Admins"'), GROUP, GROUP_MAP, "org")).toEqual({
      sql: "(g.id IN (SELECT gm.group_id FROM users mu JOIN group_members gm ON gm.user_id = mu.id WHERE mu.org_id = ? AND gm.user_id = ?) AND g.display_name_norm = ?)",
      params: ["org", "u1", "admins"],
    });
    expect(() => compileFilter(parseFilter('members.type eq "User"'), GROUP, GROUP_MAP, "org")).toThrow(ScimError);
    expect(() => compileFilter(parseFilter('userName eq "x"'), GROUP, GROUP_MAP, "org")).toThrow(ScimError);
  });

  it("normalises every members shape the providers send into pathed operations", () => {
    const ops = normalisePatch(
      {
        Operations: [
          { op: "add", path: "members", value: [{ value: "u1" }] },
          { op: "Remove", path: "members", value: [{ value: "u2", $ref: null }] },
          { op: "remove", path: 'members[value eq "u3"]' },
          { op: "replace", value: { id: "g1", displayName: "Renamed" } },
          { op: "replace", path: "members", value: [{ value: "u4", display: "ignored" }] },
        ],
      },
      GROUP,
    );
    expect(
      ops.map((o) => ({ op: o.op, attr: o.path.attribute.attr.name, filter: o.path.filter, value: o.value })),
    ).toEqual([
      { op: "add", attr: "members", filter: undefined, value: [{ value: "u1" }] },
      { op: "remove", attr: "members", filter: undefined, value: [{ value: "u2" }] },
      { op: "remove", attr: "members", filter: { type: "compare", path: { name: "value" }, op: "eq", value: "u3" }, value: undefined },
      { op: "replace", attr: "displayName", filter: undefined, value: "Renamed" },
      { op: "replace", attr: "members", filter: undefined, value: [{ value: "u4" }] },
    ]);
  });
});

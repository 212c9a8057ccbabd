/**
 * The filter compiler and the PATCH normaliser with another resource type's schemas and attribute
 * map, the way Groups will use them: members in child rows only, membership ops as a canonical list.
 */
import { describe, expect, it } from "vitest";
import { ScimError } from "../../src/scim/errors";
import type { AttributeMap } from "../../src/scim/filter/attribute-map";
import { compileFilter } from "../../src/scim/filter/compile";
import { parseFilter } from "../../src/scim/filter/parser";
import { normalisePatch } from "../../src/scim/patch/normalise";
import { attr, type ResourceSchema } from "../../src/scim/schemas";

const GROUP: ResourceSchema = {
  name: "Group",
  core: {
    id: "urn:ietf:params:scim:schemas:core:2.0:Group",
    name: "Group",
    description: "Group",
    attributes: [
      attr("displayName", "string", "name", { required: true }),
      attr("members", "complex", "members", {
        multiValued: true,
        subAttributes: [
          attr("value", "string", "id", { caseExact: true, mutability: "immutable" }),
          attr("$ref", "reference", "uri", { mutability: "immutable" }),
          attr("display", "string", "name", { mutability: "readOnly" }),
          attr("type", "string", "type", { mutability: "immutable" }),
        ],
      }),
    ],
  },
  extensions: [],
};

const GROUP_MAP: AttributeMap = {
  rowId: "g.id",
  json: "g.data_norm",
  columns: { id: { sql: "g.id" }, displayname: { sql: "g.display_name_norm", folded: true }, externalid: { sql: "g.external_id" } },
  children: {
    members: {
      exclusive: true,
      ownerIds: "SELECT gm.group_id FROM group_members gm WHERE gm.org_id = ?",
      columns: { value: { sql: "gm.user_id" } },
      sortValue: (c) => `(SELECT ${c} FROM group_members gm WHERE gm.group_id = g.id ORDER BY ${c} LIMIT 1)`,
    },
  },
};

describe("reuse by another resource type", () => {
  it("compiles members filters to the membership table, and refuses members sub-attributes it has no column for", () => {
    expect(compileFilter(parseFilter('members[value eq "u1"] and DisplayName eq "Admins"'), GROUP, GROUP_MAP, "org")).toEqual({
      sql: "(g.id IN (SELECT gm.group_id FROM group_members gm WHERE gm.org_id = ? AND gm.user_id = ?) AND g.display_name_norm = ?)",
      params: ["org", "u1", "admins"],
    });
    expect(() => compileFilter(parseFilter('members.display eq "x"'), GROUP, GROUP_MAP, "org")).toThrow(ScimError);
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

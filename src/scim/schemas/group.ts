import { attr, type SchemaDef } from "./types";

export const GROUP_SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:Group";

/**
 * The core Group schema, RFC 7643 §4.2 and §8.7.1. Members are users only: nested groups are refused
 * (a member of type "Group" → 400 invalidValue), so `type` is always "User" in responses.
 */
export const groupSchema: SchemaDef = {
  id: GROUP_SCHEMA_URN,
  name: "Group",
  description: "Group",
  attributes: [
    attr("displayName", "string", "A human-readable name for the Group. Unique per organization, case-insensitively.", {
      required: true,
      uniqueness: "server",
    }),
    attr("members", "complex", "The members of the Group (users only; nested groups are not supported).", {
      multiValued: true,
      subAttributes: [
        attr("value", "string", "The id of the member User.", { caseExact: true, mutability: "immutable" }),
        attr("$ref", "reference", "The URI of the member User.", { mutability: "immutable", referenceTypes: ["User"] }),
        attr("display", "string", "The member's displayName, else its userName.", { mutability: "readOnly" }),
        attr("type", "string", "The type of the member; always \"User\".", {
          mutability: "immutable",
          canonicalValues: ["User"],
        }),
      ],
    }),
  ],
};

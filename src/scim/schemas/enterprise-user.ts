import { attr, type SchemaDef } from "./types";

export const ENTERPRISE_USER_SCHEMA_URN = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** The Enterprise User extension, RFC 7643 §4.3. */
export const enterpriseUserSchema: SchemaDef = {
  id: ENTERPRISE_USER_SCHEMA_URN,
  name: "EnterpriseUser",
  description: "Enterprise User",
  attributes: [
    attr("employeeNumber", "string", "Numeric or alphanumeric identifier assigned to a person by the organization."),
    attr("costCenter", "string", "Identifies the name of a cost center."),
    attr("organization", "string", "Identifies the name of an organization."),
    attr("division", "string", "Identifies the name of a division."),
    attr("department", "string", "Identifies the name of a department."),
    attr("manager", "complex", "The User's manager.", {
      subAttributes: [
        attr("value", "string", "The id of the SCIM resource representing the User's manager."),
        attr("$ref", "reference", "The URI of the SCIM resource representing the User's manager.", {
          referenceTypes: ["User"],
        }),
        attr("displayName", "string", "The displayName of the User's manager.", { mutability: "readOnly" }),
      ],
    }),
  ],
};

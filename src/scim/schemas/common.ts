import { attr, type AttributeDef } from "./types";

/**
 * The attributes every resource has (RFC 7643 §3.1). They belong to no schema URN, so discovery does
 * not list them under a schema, but filters, PATCH paths and projection resolve them like the others.
 */
export const commonAttributes: AttributeDef[] = [
  attr("id", "string", "A unique identifier for the resource, assigned by the service provider.", {
    caseExact: true,
    mutability: "readOnly",
    returned: "always",
    uniqueness: "server",
  }),
  attr("externalId", "string", "An identifier for the resource as defined by the provisioning client.", {
    caseExact: true,
  }),
  attr("meta", "complex", "Resource metadata.", {
    mutability: "readOnly",
    subAttributes: [
      attr("resourceType", "string", "The name of the resource type of the resource.", {
        caseExact: true,
        mutability: "readOnly",
      }),
      attr("created", "dateTime", "When the resource was added to the service provider.", { mutability: "readOnly" }),
      attr("lastModified", "dateTime", "When the resource was last updated.", { mutability: "readOnly" }),
      attr("location", "reference", "The URI of the resource.", {
        caseExact: true,
        mutability: "readOnly",
        referenceTypes: ["uri"],
      }),
      attr("version", "string", "The version (ETag) of the resource.", { caseExact: true, mutability: "readOnly" }),
    ],
  }),
];

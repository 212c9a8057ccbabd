import { attr, multiValuedSubAttributes, type SchemaDef } from "./types";

export const USER_SCHEMA_URN = "urn:ietf:params:scim:schemas:core:2.0:User";

/** The core User schema, RFC 7643 §4.1 and §8.7.1. */
export const userSchema: SchemaDef = {
  id: USER_SCHEMA_URN,
  name: "User",
  description: "User Account",
  attributes: [
    attr("userName", "string", "Unique identifier for the User, used by the user to authenticate. Unique per organization, case-insensitively.", {
      required: true,
      uniqueness: "server",
    }),
    attr("name", "complex", "The components of the user's real name.", {
      subAttributes: [
        attr("formatted", "string", "The full name, including all middle names, titles and suffixes, formatted for display."),
        attr("familyName", "string", "The family name of the User, or last name."),
        attr("givenName", "string", "The given name of the User, or first name."),
        attr("middleName", "string", "The middle name(s) of the User."),
        attr("honorificPrefix", "string", "The honorific prefix(es) of the User, or title."),
        attr("honorificSuffix", "string", "The honorific suffix(es) of the User, or suffix."),
      ],
    }),
    attr("displayName", "string", "The name of the User, suitable for display to end-users."),
    attr("nickName", "string", "The casual way to address the user in real life."),
    attr("profileUrl", "reference", "A fully qualified URL pointing to a page representing the User's online profile.", {
      referenceTypes: ["external"],
    }),
    attr("title", "string", "The user's title, such as \"Vice President\"."),
    attr("userType", "string", "Used to identify the relationship between the organization and the user."),
    attr("preferredLanguage", "string", "The User's preferred written or spoken language (RFC 7231 Accept-Language format)."),
    attr("locale", "string", "The User's default location for localizing items such as currency and dates."),
    attr("timezone", "string", "The User's time zone in the Olson time zone database format."),
    attr("active", "boolean", "The User's administrative status."),
    attr("password", "string", "Accepted for compatibility and discarded: this service never stores passwords.", {
      mutability: "writeOnly",
      returned: "never",
    }),
    attr("emails", "complex", "Email addresses for the user.", {
      multiValued: true,
      subAttributes: multiValuedSubAttributes("email address", ["work", "home", "other"]),
    }),
    attr("phoneNumbers", "complex", "Phone numbers for the User.", {
      multiValued: true,
      subAttributes: multiValuedSubAttributes("phone number", ["work", "home", "mobile", "fax", "pager", "other"]),
    }),
    attr("ims", "complex", "Instant messaging addresses for the User.", {
      multiValued: true,
      subAttributes: multiValuedSubAttributes("instant messaging address", [
        "aim", "gtalk", "icq", "xmpp", "msn", "skype", "qq", "yahoo",
      ]),
    }),
    attr("photos", "complex", "URLs of photos of the User.", {
      multiValued: true,
      subAttributes: multiValuedSubAttributes("photo URL", ["photo", "thumbnail"], "reference", {
        referenceTypes: ["external"],
      }),
    }),
    attr("addresses", "complex", "A physical mailing address for this User.", {
      multiValued: true,
      subAttributes: [
        attr("formatted", "string", "The full mailing address, formatted for display."),
        attr("streetAddress", "string", "The full street address component."),
        attr("locality", "string", "The city or locality component."),
        attr("region", "string", "The state or region component."),
        attr("postalCode", "string", "The zip code or postal code component."),
        attr("country", "string", "The country name component (ISO 3166-1 alpha-2)."),
        attr("type", "string", "A label indicating the address's function.", { canonicalValues: ["work", "home", "other"] }),
        attr("primary", "boolean", "Whether this is the primary address. At most one value may be primary."),
      ],
    }),
    attr("groups", "complex", "The groups the user belongs to; managed through the Groups resource.", {
      multiValued: true,
      mutability: "readOnly",
      subAttributes: [
        attr("value", "string", "The identifier of the User's group.", { caseExact: true, mutability: "readOnly" }),
        attr("$ref", "reference", "The URI of the corresponding Group resource.", {
          mutability: "readOnly",
          referenceTypes: ["Group"],
        }),
        attr("display", "string", "The group's displayName.", { mutability: "readOnly" }),
        attr("type", "string", "How the membership was derived.", {
          mutability: "readOnly",
          canonicalValues: ["direct", "indirect"],
        }),
      ],
    }),
    attr("entitlements", "complex", "A list of entitlements for the User.", {
      multiValued: true,
      subAttributes: multiValuedSubAttributes("entitlement", []),
    }),
    attr("roles", "complex", "A list of roles for the User.", {
      multiValued: true,
      subAttributes: multiValuedSubAttributes("role", []),
    }),
    attr("x509Certificates", "complex", "A list of certificates issued to the User.", {
      multiValued: true,
      subAttributes: multiValuedSubAttributes("certificate", [], "binary"),
    }),
  ],
};

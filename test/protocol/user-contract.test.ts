import { describe, expect, it } from "vitest";
import { renderUser, userFromBody, userRecord } from "../../src/scim/resource/user";
import { scimErrorOf } from "../support/scim-error";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

/** A body using every attribute of the published User and Enterprise User schemas. */
export const FULL_USER = {
  schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
  externalId: "ext-42",
  userName: "bjensen@example.com",
  name: {
    formatted: "Ms. Barbara J Jensen, III",
    familyName: "Jensen",
    givenName: "Barbara",
    middleName: "Jane",
    honorificPrefix: "Ms.",
    honorificSuffix: "III",
  },
  displayName: "Babs Jensen",
  nickName: "Babs",
  profileUrl: "https://login.example.com/bjensen",
  title: "Tour Guide",
  userType: "Employee",
  preferredLanguage: "en-US",
  locale: "en-US",
  timezone: "America/Los_Angeles",
  active: true,
  emails: [
    { value: "bjensen@example.com", display: "Work", type: "work", primary: true },
    { value: "babs@jensen.org", type: "home" },
  ],
  phoneNumbers: [
    { value: "555-555-5555", type: "work" },
    { value: "555-555-4444", type: "mobile", display: "Mobile" },
  ],
  ims: [{ value: "someaimhandle", type: "aim" }],
  photos: [{ value: "https://photos.example.com/profilephoto/72930000000Ccne/F", type: "photo" }],
  addresses: [
    {
      formatted: "100 Universal City Plaza\nHollywood, CA 91608 USA",
      streetAddress: "100 Universal City Plaza",
      locality: "Hollywood",
      region: "CA",
      postalCode: "91608",
      country: "US",
      type: "work",
      primary: true,
    },
  ],
  entitlements: [{ value: "all-access", display: "All access", type: "plan", primary: true }],
  roles: [{ value: "student", display: "Student", type: "primary" }],
  x509Certificates: [{ value: "MIIDQzCCAqygAwIBAgICEAAwDQYJKoZIhvcNAQEFBQAw" }],
  [ENT]: {
    employeeNumber: "701984",
    costCenter: "4130",
    organization: "Universal Studios",
    division: "Theme Park",
    department: "Tour Operations",
    manager: { value: "26118915-6090-4610-87e4-49d8ca9f808d", $ref: "../Users/26118915-6090-4610-87e4-49d8ca9f808d" },
  },
};

describe("the User contract", () => {
  it("round-trips every attribute of the published schemas", () => {
    const { schemas: _s, ...attributes } = FULL_USER;
    const stored = userFromBody(FULL_USER);
    expect(stored).toEqual(attributes);
    const rendered = renderUser({ id: "u1", version: 3, createdAt: 0, lastModified: 1, data: JSON.stringify(stored) }, "https://x/scim/v2", 'W/"3"');
    expect(rendered).toEqual({
      ...FULL_USER,
      id: "u1",
      meta: {
        resourceType: "User",
        created: "1970-01-01T00:00:00.000Z",
        lastModified: "1970-01-01T00:00:00.001Z",
        location: "https://x/scim/v2/Users/u1",
        version: 'W/"3"',
      },
    });
  });

  it("accepts bodies without the core URN, with legacy or misspelt URNs, and names in any case", () => {
    for (const schemas of [undefined, ["urn:scim:schemas:core:1.0"], ["urn:scim:schemas:core:2.0"], [`urn:ietf:params:scim:schemas:extension:enterprise:2.0User`]]) {
      expect(userFromBody({ schemas, USERNAME: "a", Name: { GIVENNAME: "A" }, Emails: [{ VALUE: "a@x", Type: "work" }] })).toEqual({
        userName: "a",
        name: { givenName: "A" },
        active: true,
        emails: [{ value: "a@x", type: "work" }],
      });
    }
  });

  it("coerces string booleans and numbers, and treats null and empty strings as absent", () => {
    expect(
      userFromBody({
        userName: "a",
        active: "False",
        emails: [{ value: "a@x", primary: "TRUE" }, null, { value: "" }, {}],
        title: "",
        nickName: null,
        externalId: 12345,
        [ENT]: { employeeNumber: 7, manager: null },
      }),
    ).toEqual({ externalId: "12345", userName: "a", active: false, emails: [{ value: "a@x", primary: true }], [ENT]: { employeeNumber: "7" } });
  });

  it("ignores read-only, unknown and write-only attributes whatever their value", () => {
    const stored = userFromBody({
      id: null,
      meta: { created: "x" },
      groups: [{ value: "g1" }],
      userName: "a",
      password: "hunter2-secret",
      unknownThing: { a: 1 },
      "urn:example:custom:1.0": { x: 1 },
      [ENT]: { manager: { value: "m", displayName: "Boss" }, unknown: 1 },
    });
    expect(stored).toEqual({ userName: "a", active: true, [ENT]: { manager: { value: "m" } } });
    expect(JSON.stringify(userRecord(stored))).not.toContain("hunter2-secret");
  });

  it("refuses wrong types and a missing userName with 400 invalidValue", () => {
    for (const body of [
      {},
      { userName: "" },
      { userName: "   " },
      { userName: null },
      { userName: true },
      { userName: ["a"] },
      { userName: "a", active: "yes" },
      { userName: "a", emails: "a@x" },
      { userName: "a", emails: ["a@x"] },
      { userName: "a", name: "Bob" },
      { userName: "a", name: { givenName: { first: "x" } } },
    ]) {
      const e = scimErrorOf(() => userFromBody(body));
      expect([e.status, e.scimType], JSON.stringify(body)).toEqual([400, "invalidValue"]);
    }
  });

  it("derives the indexed columns, folding case in JS (lower-case + NFC)", () => {
    const record = userRecord(
      userFromBody({
        userName: "E\u0301MILE@Example.COM",
        displayName: "ÉMILE",
        name: { givenName: "Émile", familyName: "ZOLA" },
        externalId: "Ext",
        emails: [{ value: "Émile@X.com", type: "Work", primary: true }, { value: "b@x" }],
      }),
    );
    expect(record).toMatchObject({
      userName: "E\u0301MILE@Example.COM",
      userNameNorm: "émile@example.com",
      displayNameNorm: "émile",
      givenNameNorm: "émile",
      familyNameNorm: "zola",
      externalId: "Ext",
      active: true,
      emails: [
        { valueNorm: "émile@x.com", typeNorm: "work", primary: true },
        { valueNorm: "b@x", typeNorm: null, primary: false },
      ],
    });
    expect(JSON.parse(record.dataNorm)).toMatchObject({ userName: "émile@example.com", externalId: "Ext" });
  });
});

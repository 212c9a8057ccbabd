/** Random requests through the whole stack: never a 500, and a refused write leaves no trace. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newScimOrg, viaApp, HEAVY_TEST_TIMEOUT } from "../support/helpers";
import { ENT, createUser, patchBody, userRows } from "../support/user-helpers";

const token = fc.constantFrom(
  "userName", "emails", "[", "]", "(", ")", " ", " eq ", " co ", " pr", " and ", " or ", "not ", '"x"', "type", ".value",
  "meta.created", "active", "true", "2026-01-01T00:00:00Z", "%", "+", "&", "=", "\\", "'", `${ENT}:manager`, "é",
);

describe("fuzzing /Users", () => {
  it("answers random filters with 200 or 400 invalidFilter", async () => {
    const org = await newScimOrg({ send: viaApp() });
    await createUser(org, { userName: "fuzz", emails: [{ value: "f@x", type: "work" }] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(token, { maxLength: 12 }).map((t) => t.join("")), fc.string({ maxLength: 30 })), async (filter) => {
        const res = await org.call("GET", `/Users?filter=${encodeURIComponent(filter)}`);
        expect([200, 400], filter).toContain(res.status);
        if (res.status === 400) expect(res.body.scimType, filter).toBe("invalidFilter");
        const search = await org.call("POST", "/Users/.search", { filter });
        expect(search.status, filter).toBe(res.status);
      }),
      { numRuns: 300 },
    );
  }, HEAVY_TEST_TIMEOUT);

  it("answers random PATCH requests with 200 or a 4xx SCIM error, writing nothing on error", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const user = await createUser(org, { userName: "patched", emails: [{ value: "p@x", type: "work", primary: true }] });
    const value = fc.oneof(
      fc.constantFrom(null, "", "True", "x@y", 1, true, [], [{ value: "n@x", primary: "true" }], { value: "m" }, { givenName: "G" }, { "name.givenName": "H", active: "false" }),
      fc.string({ maxLength: 4 }),
    );
    const path = fc.constantFrom(
      undefined, "active", "emails", 'emails[type eq "work"].value', 'phoneNumbers[type eq "mobile"].value', "name", "name.givenName",
      `${ENT}:manager`, ENT, "userName", "id", "nope", "emails[", "password",
    );
    const op = fc.record({ op: fc.constantFrom("add", "Replace", "remove", "bad"), path, value }, { requiredKeys: ["op"] });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 4 }), async (ops) => {
        const before = await userRows(org.orgId);
        const res = await org.call("PATCH", `/Users/${user.id}`, patchBody(...ops));
        expect([200, 400, 409], JSON.stringify(ops)).toContain(res.status);
        if (res.status !== 200) {
          expect(res.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
          expect(await userRows(org.orgId)).toEqual(before);
        }
      }),
      { numRuns: 200 },
    );
  }, HEAVY_TEST_TIMEOUT);
});

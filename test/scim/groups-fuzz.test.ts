/** Random requests to /Groups through the whole stack: never a 500, and a refused write leaves no trace. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newScimOrg, viaApp, HEAVY_TEST_TIMEOUT } from "../support/helpers";
import { createGroup, groupRows, patchBody } from "../support/group-helpers";
import { createUser } from "../support/user-helpers";

const token = fc.constantFrom(
  "displayName", "members", "members.value", "members.display", "[", "]", "(", ")", " ", " eq ", " co ", " pr", " and ", " or ",
  "not ", '"x"', "value", "externalId", "meta.created", "id", "2026-01-01T00:00:00Z", "%", "+", "\\", "'", "é", "type",
);

describe("fuzzing /Groups", () => {
  it("answers random filters with 200 or 400 invalidFilter", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const user = await createUser(org, { userName: "fuzz" });
    await createGroup(org, { displayName: "Fuzz", members: [{ value: user.id }] });
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.array(token, { maxLength: 12 }).map((t) => t.join("")), fc.string({ maxLength: 30 })), async (filter) => {
        const res = await org.call("GET", `/Groups?filter=${encodeURIComponent(filter)}`);
        expect([200, 400], filter).toContain(res.status);
        if (res.status === 400) expect(res.body.scimType, filter).toBe("invalidFilter");
      }),
      { numRuns: 200 },
    );
  }, HEAVY_TEST_TIMEOUT);

  it("answers random PATCH requests with 204 or a 4xx SCIM error, writing nothing on error", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const users = [await createUser(org, { userName: "a" }), await createUser(org, { userName: "b" })].map((u) => u.id);
    const group = await createGroup(org, { displayName: "Patched", members: [{ value: users[0] }] });
    await createGroup(org, { displayName: "Taken" });
    const member = fc.oneof(fc.constantFrom(...users, "ghost", group.id).map((value) => ({ value })), fc.constant({ value: users[1], type: "Group" }), fc.constant({ $ref: null, value: users[0] }));
    const value = fc.oneof(
      fc.constantFrom(null, "", "Taken", "taken", "Renamed", 1, true, [], {}, { displayName: "X", id: "nope" }, { members: [] }),
      fc.array(member, { maxLength: 3 }),
      member,
      fc.string({ maxLength: 4 }),
    );
    const path = fc.constantFrom(
      undefined, "members", "displayName", "externalId", "id", `members[value eq "${users[0]}"]`, `members[value eq "${users[1]}"].value`,
      'members[display eq "a"]', "members.value", "members[", "nope", "meta", "urn:ietf:params:scim:schemas:core:2.0:Group:displayName",
    );
    const op = fc.record({ op: fc.constantFrom("add", "Replace", "remove", "bad"), path, value }, { requiredKeys: ["op"] });
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 4 }), async (ops) => {
        const before = await groupRows(org.orgId);
        const res = await org.call("PATCH", `/Groups/${group.id}`, patchBody(...ops));
        expect([204, 400, 409], JSON.stringify(ops)).toContain(res.status);
        if (res.status !== 204) {
          expect(res.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:Error"]);
          expect(await groupRows(org.orgId)).toEqual(before);
        }
      }),
      { numRuns: 150 },
    );
  }, HEAVY_TEST_TIMEOUT);
});

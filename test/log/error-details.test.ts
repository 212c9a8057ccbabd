// Finding 3 of issue 16: an error detail that quotes a value from the request body (a password sent
// in the wrong attribute, say) may go back to the caller, but the provisioning log keeps only the
// attribute and the type received.
import { describe, expect, it } from "vitest";
import { admin, newScimOrg, viaApp } from "../support/helpers";

const send = viaApp(); // waits for ctx.waitUntil, so entries are written when a call returns
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const SECRET = "Hunter2-Sekrit";

async function loggedDetails(orgId: string) {
  const res = await admin("GET", `/orgs/${orgId}/scim/log?limit=200`, undefined, send);
  return (res.body.entries as { status: number; detail: string | null; method: string; path: string }[]).reverse();
}

describe("error details in the provisioning log", () => {
  it("name the attribute and the type received, never a value from the body", async () => {
    const org = await newScimOrg({ send });
    const user = await org.call("POST", "/Users", { schemas: [CORE_USER], userName: `taken-${SECRET}` });
    expect(user.status).toBe(201);
    const group = await org.call("POST", "/Groups", { displayName: "G" });
    const cases: [method: string, path: string, body: unknown, logged: RegExp][] = [
      ["POST", "/Users", { schemas: [CORE_USER], userName: { password: SECRET } }, /^'userName' must be a string, not an object$/],
      ["POST", "/Users", { schemas: [CORE_USER], userName: "u1", active: SECRET }, /^'active' must be true or false, not a string$/],
      ["POST", "/Users", { schemas: [CORE_USER], userName: "u2", emails: [{ value: "a@b.c", primary: SECRET }] }, /'emails\.primary' must be true or false, not a string/],
      ["POST", "/Users", { schemas: [CORE_USER], userName: `taken-${SECRET}` }, /^A user with this userName already exists$/],
      ["POST", "/Groups", { displayName: "H", members: [{ value: SECRET }] }, /^Members must be users of this organization; 1 unknown$/],
      ["POST", "/Groups", { displayName: "I", members: [{ value: "x", type: SECRET }] }, /^'members\.type' must be "User"/],
      ["POST", "/Groups", { displayName: "J", members: [{ value: SECRET, type: "Group" }] }, /^Nested groups are not supported/],
      ["PATCH", `/Groups/${group.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: SECRET, path: "displayName", value: "x" }] }, /^Operations\[0\]\.op must be add, remove or replace/],
      ["POST", "/Users/.search", { filter: `userName eq "${SECRET}" and` }, /^Expected an attribute name but found the end/],
      ["POST", "/Users/.search", { filter: `userName ${SECRET} "x"` }, /^Expected an operator .* but found a word at position 10$/],
      ["POST", "/Users/.search", { filter: `active eq "${SECRET}"` }, /^'active eq <a string>'/],
      ["POST", "/Users/.search", { startIndex: SECRET }, /^'startIndex' must be an integer, not a string$/],
      ["POST", "/Users/.search", { sortOrder: SECRET }, /^'sortOrder' must be "ascending" or "descending"/],
    ];
    for (const [method, path, body] of cases) {
      const res = await org.call(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    // The caller may still be told what it sent.
    const told = await org.call("POST", "/Users", { schemas: [CORE_USER], userName: { password: SECRET } });
    expect(told.body.detail).toContain(SECRET);

    const logged = (await loggedDetails(org.orgId)).filter((e) => e.status >= 400);
    expect(logged).toHaveLength(cases.length + 1);
    expect(JSON.stringify(logged)).not.toMatch(/sekrit/i);
    cases.forEach(([method, path, , pattern], i) => {
      expect(logged[i].detail, `${method} ${path}`).toMatch(pattern);
    });
  });
});

/** Bad input to /Groups gets the right SCIM error and writes nothing; tenants never see each other. */
import { describe, expect, it } from "vitest";
import { GROUP_TEXT_MAX_LENGTH, GROUPS_BODY_LIMIT_BYTES } from "../../src/scim/limits";
import { expectScimError, newScimOrg, rawCall, type ScimClient } from "../support/helpers";
import { createGroup, groupFilter, groupRows, memberValues, patchBody } from "../support/group-helpers";
import { createUser } from "../support/user-helpers";

async function unchanged(org: ScimClient, run: () => Promise<void>) {
  const before = await groupRows(org.orgId);
  await run();
  expect(await groupRows(org.orgId)).toEqual(before);
}

describe("bad request bodies", () => {
  it("malformed JSON → 400 invalidSyntax; text/plain → 415", async () => {
    const org = await newScimOrg();
    const group = await createGroup(org, { displayName: "G" });
    await unchanged(org, async () => {
      for (const [method, path] of [["POST", "/Groups"], ["PUT", `/Groups/${group.id}`], ["PATCH", `/Groups/${group.id}`], ["POST", "/Groups/.search"]]) {
        for (const text of ['{"displayName": "a",', "", "[1]", "null"]) expectScimError(await rawCall(org, method, path, text), 400, "invalidSyntax");
        expectScimError(await rawCall(org, method, path, '{"displayName":"x"}', "text/plain"), 415);
      }
    });
  });

  it("malformed operations, unknown paths, wrong types and unknown members → SCIM errors, nothing written", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "u" });
    const group = await createGroup(org, { displayName: "G", members: [{ value: user.id }] });
    const cases: [unknown, number, string][] = [
      [{ Operations: "add" }, 400, "invalidSyntax"],
      [{}, 400, "invalidSyntax"],
      [patchBody({ op: "copy", path: "members" }), 400, "invalidSyntax"],
      [patchBody({ path: "displayName", value: "x" }), 400, "invalidSyntax"],
      [patchBody(42), 400, "invalidSyntax"],
      [patchBody({ op: "add", path: "owner", value: "x" }), 400, "invalidPath"],
      [patchBody({ op: "replace", path: "members[value eq", value: [] }), 400, "invalidPath"],
      [patchBody({ op: "replace", path: 'displayName[value eq "x"]', value: "y" }), 400, "invalidPath"],
      [patchBody({ op: "remove", path: 'members[type eq "User"]' }), 400, "invalidPath"],
      [patchBody({ op: "add", path: 17, value: "x" }), 400, "invalidPath"],
      [patchBody({ op: "replace", path: "id", value: "x" }), 400, "mutability"],
      [patchBody({ op: "replace", path: "meta.version", value: "x" }), 400, "mutability"],
      [patchBody({ op: "remove" }), 400, "noTarget"],
      [patchBody({ op: "replace", path: "displayName", value: { text: "x" } }), 400, "invalidValue"],
      [patchBody({ op: "add", path: "members", value: "not-a-list" }), 400, "invalidValue"],
      [patchBody({ op: "add", path: "members", value: [{ value: user.id }, { value: "unknown-id" }] }), 400, "invalidValue"],
      [patchBody({ op: "replace", value: "displayName" }), 400, "invalidValue"],
      [patchBody({ op: "remove", path: "members" }, { op: "add", path: "members", value: [{ value: group.id, type: "Group" }] }), 400, "invalidValue"],
    ];
    await unchanged(org, async () => {
      for (const [body, status, scimType] of cases) {
        expectScimError(await org.call("PATCH", `/Groups/${group.id}`, body), status, scimType);
      }
      for (const body of [{ displayName: ["a"] }, { displayName: "x", members: [{ value: "nobody" }] }, { displayName: "x", externalId: { a: 1 } }]) {
        expectScimError(await org.call("POST", "/Groups", body), 400, "invalidValue");
      }
    });
    expect(await memberValues(org, group.id)).toEqual([user.id]);
  });

  it("a PATCH with more than 1,000 operations → 413; a body over 8 MiB → 413", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "u" });
    const group = await createGroup(org, { displayName: "G" });
    await unchanged(org, async () => {
      const ops = Array.from({ length: 1001 }, () => ({ op: "add", path: "members", value: [{ value: user.id }] }));
      expectScimError(await org.call("PATCH", `/Groups/${group.id}`, patchBody(...ops)), 413);
      const huge = JSON.stringify({ displayName: "Huge", members: [{ value: "x".repeat(GROUPS_BODY_LIMIT_BYTES) }] });
      expectScimError(await rawCall(org, "POST", "/Groups", huge), 413);
      expectScimError(await rawCall(org, "PUT", `/Groups/${group.id}`, huge), 413);
    });
    // 1,000 operations are accepted.
    const ops = Array.from({ length: 1000 }, () => ({ op: "add", path: "members", value: [{ value: user.id }] }));
    expect((await org.call("PATCH", `/Groups/${group.id}`, patchBody(...ops))).status).toBe(204);
    // A body above the Users limit (1 MiB) but under 8 MiB is fine for /Groups.
    const padded = { displayName: "Padded", members: Array.from({ length: 40_000 }, () => ({ value: user.id, display: "padding" })) };
    expect(JSON.stringify(padded).length).toBeGreaterThan(1024 * 1024);
    expect((await org.call("POST", "/Groups?attributes=id", padded)).status).toBe(201);
  });

  it("refuses over-long names and ids with 400, never letting them reach D1's size limits", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "u" });
    const group = await createGroup(org, { displayName: "G", members: [{ value: user.id }] });
    const long = "x".repeat(GROUP_TEXT_MAX_LENGTH + 1);
    const huge = "y".repeat(3_000_000);
    await unchanged(org, async () => {
      for (const body of [{ displayName: long }, { displayName: "ok", externalId: long }, { displayName: "ok", members: [{ value: huge }] }]) {
        expectScimError(await org.call("POST", "/Groups", body), 400, "invalidValue");
      }
      expectScimError(await org.call("PATCH", `/Groups/${group.id}`, patchBody({ op: "replace", value: { displayName: long } })), 400, "invalidValue");
      const refused = await org.call("PATCH", `/Groups/${group.id}`, patchBody({ op: "add", path: "members", value: [{ value: huge }] }));
      expectScimError(refused, 400, "invalidValue");
      expect(refused.body.detail.length).toBeLessThan(500);
      // Removing an id that long removes nothing, and succeeds.
      expect((await org.call("PATCH", `/Groups/${group.id}`, patchBody({ op: "remove", path: "members", value: [{ value: huge }] }))).status).toBe(204);
    });
    expect((await org.call("POST", "/Groups", { displayName: "x".repeat(GROUP_TEXT_MAX_LENGTH) })).status).toBe(201);
  });
});

describe("tenant isolation", () => {
  it("answers org B's token on org A's group ids exactly like unknown ids, and changes nothing", async () => {
    const a = await newScimOrg();
    const b = await newScimOrg();
    const user = await createUser(a, { userName: "private" });
    const group = await createGroup(a, { displayName: "Secret", members: [{ value: user.id }] });
    const unknown = await b.call("GET", "/Groups/00000000-0000-0000-0000-000000000000");
    await unchanged(a, async () => {
      for (const [method, body] of [
        ["GET"],
        ["PUT", { displayName: "Stolen" }],
        ["PATCH", patchBody({ op: "remove", path: "members" })],
        ["DELETE"],
      ] as const) {
        const res = await b.call(method, `/Groups/${group.id}`, body);
        expectScimError(res, 404);
        expect(res.body.detail.replace(group.id, "ID")).toBe(unknown.body.detail.replace("00000000-0000-0000-0000-000000000000", "ID"));
      }
    });
    expect(await memberValues(a, group.id)).toEqual([user.id]);
  });

  it("never lists another org's groups, and org B cannot add org A's users", async () => {
    const a = await newScimOrg();
    const b = await newScimOrg();
    const alice = await createUser(a, { userName: "alice" });
    await createGroup(a, { displayName: "Shared Name", externalId: "x", members: [{ value: alice.id }] });
    const own = await createGroup(b, { displayName: "Shared Name" });
    for (const path of ["/Groups", groupFilter('displayName eq "Shared Name"'), groupFilter(`members.value eq "${alice.id}"`), groupFilter('externalId eq "x"'), groupFilter("members pr")]) {
      const res = await b.call("GET", path);
      expect(res.status, path).toBe(200);
      const expected = path.includes("members") || path.includes("externalId") ? [] : [own.id];
      expect(res.body.Resources.map((r: { id: string }) => r.id), path).toEqual(expected);
    }
    await unchanged(b, async () => {
      expectScimError(await b.call("PATCH", `/Groups/${own.id}`, patchBody({ op: "add", path: "members", value: [{ value: alice.id }] })), 400, "invalidValue");
      expectScimError(await b.call("POST", "/Groups", { displayName: "Steal", members: [{ value: alice.id }] }), 400, "invalidValue");
      expectScimError(await b.call("DELETE", `/Users/${alice.id}`), 404);
    });
    // Org A's user is untouched and still only in A's group.
    const got = await a.call("GET", `/Users/${alice.id}`);
    expect(got.body.groups).toHaveLength(1);
  });
});

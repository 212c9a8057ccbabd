/** Bad input gets the right SCIM error and writes nothing. */
import { describe, expect, it } from "vitest";
import { MAX_STORED_RESOURCE_BYTES, USERS_BODY_LIMIT_BYTES } from "../../src/scim/limits";
import { expectScimError, newScimOrg, rawCall, type ScimClient } from "../support/helpers";
import { CORE, createUser, filterQuery, patchBody, userRows } from "../support/user-helpers";

async function unchanged(org: ScimClient, request: () => Promise<void>) {
  const before = await userRows(org.orgId);
  await request();
  expect(await userRows(org.orgId)).toEqual(before);
}

describe("bad request bodies", () => {
  it("malformed JSON → 400 invalidSyntax", async () => {
    const org = await newScimOrg();
    const existing = await createUser(org, { userName: "x" });
    await unchanged(org, async () => {
      for (const [method, path] of [["POST", "/Users"], ["PUT", `/Users/${existing.id}`], ["PATCH", `/Users/${existing.id}`], ["POST", "/Users/.search"]]) {
        for (const text of ['{"userName": "a",', "not json", "", '["userName"]', "null"]) {
          const res = await rawCall(org, method, path, text);
          expectScimError(res, 400, "invalidSyntax");
        }
      }
    });
  });

  it("text/plain → 415 with a SCIM body", async () => {
    const org = await newScimOrg();
    const existing = await createUser(org, { userName: "x" });
    await unchanged(org, async () => {
      for (const [method, path] of [["POST", "/Users"], ["PUT", `/Users/${existing.id}`], ["PATCH", `/Users/${existing.id}`]]) {
        const res = await rawCall(org, method, path, JSON.stringify({ userName: "y", Operations: [] }), "text/plain");
        expectScimError(res, 415);
        expect(res.body.scimType).toBeUndefined();
      }
    });
  });

  it("accepts application/json with a charset, as Google sends it", async () => {
    const org = await newScimOrg();
    const res = await rawCall(org, "POST", "/Users", JSON.stringify({ userName: "g" }), "application/json; charset=utf-8");
    expect(res.status).toBe(201);
  });

  it("a body over 1 MiB → 413", async () => {
    const org = await newScimOrg();
    const existing = await createUser(org, { userName: "x" });
    const big = JSON.stringify({ userName: "big", title: "x".repeat(USERS_BODY_LIMIT_BYTES) });
    await unchanged(org, async () => {
      for (const [method, path] of [["POST", "/Users"], ["PUT", `/Users/${existing.id}`], ["PATCH", `/Users/${existing.id}`], ["POST", "/Users/.search"]]) {
        const res = await rawCall(org, method, path, big);
        expectScimError(res, 413);
      }
    });
    // A large resource within the body limit is stored...
    const fits = JSON.stringify({ userName: "fits", title: "x".repeat(MAX_STORED_RESOURCE_BYTES - 1000) });
    expect((await rawCall(org, "POST", "/Users", fits)).status).toBe(201);
  });

  it("a body within 1 MiB whose resource cannot fit a D1 row → 413, never a 500", async () => {
    const org = await newScimOrg();
    const existing = await createUser(org, { userName: "x" });
    const huge = "y".repeat(USERS_BODY_LIMIT_BYTES - 1000);
    await unchanged(org, async () => {
      for (const [method, path, body] of [
        ["POST", "/Users", { userName: huge }],
        ["POST", "/Users", { userName: "t", title: huge }],
        ["PUT", `/Users/${existing.id}`, { userName: "x", title: huge }],
        ["PATCH", `/Users/${existing.id}`, patchBody({ op: "replace", path: "title", value: huge })],
      ] as const) {
        const res = await rawCall(org, method, path, JSON.stringify(body));
        expectScimError(res, 413);
        expect(res.body.detail).toMatch(/bytes/);
      }
    });
  });

  it("wrong types and a missing userName → 400 invalidValue", async () => {
    const org = await newScimOrg();
    const existing = await createUser(org, { userName: "x" });
    await unchanged(org, async () => {
      for (const body of [
        {},
        { schemas: [CORE] },
        { userName: "" },
        { userName: null },
        { userName: { value: "a" } },
        { userName: "a", active: "sometimes" },
        { userName: "a", emails: "a@example.com" },
        { userName: "a", name: "Alice" },
        { userName: "a", phoneNumbers: [42] },
      ]) {
        expectScimError(await org.call("POST", "/Users", body), 400, "invalidValue");
        expectScimError(await org.call("PUT", `/Users/${existing.id}`, body), 400, "invalidValue");
      }
      expectScimError(await org.call("PATCH", `/Users/${existing.id}`, patchBody({ op: "replace", path: "active", value: "sometimes" })), 400, "invalidValue");
      expectScimError(await org.call("PATCH", `/Users/${existing.id}`, { Operations: "replace" }), 400, "invalidSyntax");
      expectScimError(await org.call("PATCH", `/Users/${existing.id}`, patchBody({ op: "remove" })), 400, "noTarget");
    });
  });
});

describe("bad list parameters", () => {
  it("an unknown filter attribute or malformed filter → 400 invalidFilter", async () => {
    const org = await newScimOrg();
    await createUser(org, { userName: "x" });
    for (const filter of ['favouriteColour eq "blue"', 'userName eq "x" and nope pr', 'emails[nope eq "x"]', 'userName eq "x', "userName", 'userName zz "x"']) {
      expectScimError(await org.call("GET", filterQuery(filter)), 400, "invalidFilter");
      expectScimError(await org.call("POST", "/Users/.search", { filter }), 400, "invalidFilter");
    }
  });

  it("a filter cut short at a raw space is refused, never answered with an unfiltered list", async () => {
    const org = await newScimOrg();
    await createUser(org, { userName: "x" });
    // What workerd leaves of `?filter=userName eq "x"` sent with raw spaces, and of `?filter= userName ...`.
    for (const path of ["/Users?filter=userName", "/Users?filter=", "/Users?filter=userName&count=1", "/Users?FILTER=userName"]) {
      expectScimError(await org.call("GET", path), 400, "invalidFilter");
    }
  });

  it("non-integer paging, unknown sortBy or sortOrder → 400 invalidValue", async () => {
    const org = await newScimOrg();
    for (const query of ["startIndex=one", "count=1.5", "count=ten", "sortBy=favouriteColour", "sortBy=name", "sortBy=userName&sortOrder=upwards"]) {
      expectScimError(await org.call("GET", `/Users?${query}`), 400, "invalidValue");
    }
    expectScimError(await org.call("POST", "/Users/.search", { count: "many" }), 400, "invalidValue");
    expectScimError(await org.call("POST", "/Users/.search", { sortBy: 42 }), 400, "invalidValue");
  });
});

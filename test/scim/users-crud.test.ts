import { describe, expect, it } from "vitest";
import { expectScimError, manualClock, newScimOrg, viaApp } from "../support/helpers";
import { CORE, ENT, createUser, patchBody, userRows } from "../support/user-helpers";

const alice = {
  userName: "alice@example.com",
  name: { givenName: "Alice", familyName: "Smith" },
  displayName: "Alice Smith",
  emails: [{ value: "alice@example.com", type: "work", primary: true }],
  active: true,
};

describe("POST /Users", () => {
  it("answers 201 with the whole resource, a Location, and an ETag equal to meta.version", async () => {
    const org = await newScimOrg();
    const res = await org.call("POST", "/Users", { schemas: [CORE], ...alice });
    expect(res.status).toBe(201);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/scim\+json/);
    expect(res.body).toEqual({
      schemas: [CORE],
      id: expect.any(String),
      ...alice,
      meta: {
        resourceType: "User",
        created: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        lastModified: res.body.meta.created,
        location: `https://scim.test/scim/v2/Users/${res.body.id}`,
        version: 'W/"1"',
      },
    });
    expect(res.headers.get("Location")).toBe(res.body.meta.location);
    expect(res.headers.get("ETag")).toBe('W/"1"');
  });

  it("builds Location and meta.location from PUBLIC_ORIGIN when set", async () => {
    const org = await newScimOrg({ send: viaApp({ env: { PUBLIC_ORIGIN: "https://id.example.com/" } }) });
    const res = await org.call("POST", "/Users", { userName: "po" });
    expect(res.headers.get("Location")).toBe(`https://id.example.com/scim/v2/Users/${res.body.id}`);
    expect(res.body.meta.location).toBe(res.headers.get("Location"));
  });

  it("refuses a second user with the same userName in any case with 409 uniqueness, writing nothing", async () => {
    const org = await newScimOrg();
    await createUser(org, { userName: "Émile" });
    const before = await userRows(org.orgId);
    expectScimError(await org.call("POST", "/Users", { userName: "ÉMILE", emails: [{ value: "x@y" }] }), 409, "uniqueness");
    expectScimError(await org.call("POST", "/Users", { userName: "E\u0301mile" }), 409, "uniqueness");
    expect(await userRows(org.orgId)).toEqual(before);
  });
});

describe("GET /Users/{id}", () => {
  it("returns the resource with its ETag, and 304 when If-None-Match matches", async () => {
    const org = await newScimOrg();
    const created = await createUser(org, alice);
    const res = await org.call("GET", `/Users/${created.id}`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual(created);
    expect(res.headers.get("ETag")).toBe('W/"1"');
    for (const tag of ['W/"1"', '"1"', '"0", W/"1"', "*"]) {
      const notModified = await org.call("GET", `/Users/${created.id}`, undefined, { "If-None-Match": tag });
      expect(notModified.status, tag).toBe(304);
      expect(notModified.headers.get("ETag")).toBe('W/"1"');
      expect(notModified.body).toBeUndefined();
    }
    expect((await org.call("GET", `/Users/${created.id}`, undefined, { "If-None-Match": 'W/"2"' })).status).toBe(200);
  });

  it("answers 404 for unknown ids on every method", async () => {
    const org = await newScimOrg();
    for (const [method, body] of [["GET"], ["PUT", { userName: "x" }], ["PATCH", patchBody({ op: "replace", path: "title", value: "x" })], ["DELETE"]] as const) {
      expectScimError(await org.call(method, "/Users/00000000-0000-0000-0000-000000000000", body), 404);
    }
  });
});

describe("PUT /Users/{id}", () => {
  it("replaces the resource: omitted attributes are cleared, id and meta in the body are ignored", async () => {
    const org = await newScimOrg();
    const created = await createUser(org, { ...alice, title: "VP", [ENT]: { employeeNumber: "1" } });
    const res = await org.call("PUT", `/Users/${created.id}`, {
      ...created,
      id: "something-else",
      meta: { version: 'W/"99"' },
      title: undefined,
      [ENT]: undefined,
      displayName: "Al",
    });
    expect(res.status).toBe(200);
    expect(res.body.id).toBe(created.id);
    expect(res.body.title).toBeUndefined();
    expect(res.body[ENT]).toBeUndefined();
    expect(res.body.schemas).toEqual([CORE]);
    expect(res.body.displayName).toBe("Al");
    expect(res.body.meta.version).toBe('W/"2"');
    expect(res.headers.get("ETag")).toBe('W/"2"');
    expect((await org.call("GET", `/Users/${created.id}`)).body).toEqual(res.body);
  });
});

describe("writes that change nothing", () => {
  it("leave meta.version and meta.lastModified as they were", async () => {
    const time = manualClock();
    const org = await newScimOrg({ send: viaApp({ clock: time.clock }) });
    const created = await createUser(org, { ...alice, active: "true" });
    time.advance(60_000);
    const put = await org.call("PUT", `/Users/${created.id}`, { ...alice, userName: "alice@example.com", active: "True" });
    const patched = await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "replace", path: "displayName", value: "Alice Smith" }));
    const empty = await org.call("PATCH", `/Users/${created.id}`, patchBody());
    const passwordOnly = await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "replace", path: "password", value: "new" }));
    for (const res of [put, patched, empty, passwordOnly]) {
      expect(res.status).toBe(200);
      expect(res.body.meta).toEqual(created.meta);
      expect(res.headers.get("ETag")).toBe('W/"1"');
    }
    const changed = await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "replace", path: "title", value: "VP" }));
    expect(changed.body.meta.version).toBe('W/"2"');
    expect(changed.body.meta.lastModified).toBe(new Date(time.clock()).toISOString());
  });
});

describe("If-Match", () => {
  it("makes PUT, PATCH and DELETE conditional: 412 on a stale ETag, writing nothing", async () => {
    const org = await newScimOrg();
    const created = await createUser(org, alice);
    await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "replace", path: "title", value: "v2" }));
    const before = await userRows(org.orgId);
    const stale = { "If-Match": 'W/"1"' };
    expectScimError(await org.call("PUT", `/Users/${created.id}`, alice, stale), 412);
    expectScimError(await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "replace", path: "title", value: "x" }), stale), 412);
    expectScimError(await org.call("DELETE", `/Users/${created.id}`, undefined, stale), 412);
    expect(await userRows(org.orgId)).toEqual(before);

    const patched = await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "replace", path: "title", value: "v3" }), { "If-Match": 'W/"2"' });
    expect(patched.body.meta.version).toBe('W/"3"');
    const put = await org.call("PUT", `/Users/${created.id}`, { ...alice, title: "v4" }, { "If-Match": "*" });
    expect(put.body.meta.version).toBe('W/"4"');
    expect((await org.call("DELETE", `/Users/${created.id}`, undefined, { "If-Match": '"4"' })).status).toBe(204);
  });
});

describe("PATCH /Users/{id}", () => {
  it("answers 200 with the updated resource", async () => {
    const org = await newScimOrg();
    const created = await createUser(org, alice);
    const res = await org.call(
      "PATCH",
      `/Users/${created.id}`,
      patchBody({ op: "Replace", path: "name.givenName", value: "Alicia" }, { op: "add", path: "emails", value: [{ value: "a2@example.com", type: "home" }] }),
    );
    expect(res.status).toBe(200);
    expect(res.body.name).toEqual({ givenName: "Alicia", familyName: "Smith" });
    expect(res.body.emails).toHaveLength(2);
    expect(res.headers.get("ETag")).toBe(res.body.meta.version);
    const found = await org.call("GET", `/Users?filter=${encodeURIComponent('emails.value eq "A2@example.com"')}`);
    expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([created.id]);
  });

  it("applies all operations or none: an invalid path writes nothing", async () => {
    const org = await newScimOrg();
    const created = await createUser(org, alice);
    const before = await userRows(org.orgId);
    const res = await org.call(
      "PATCH",
      `/Users/${created.id}`,
      patchBody({ op: "replace", path: "title", value: "VP" }, { op: "replace", path: "favouriteColour", value: "blue" }),
    );
    expectScimError(res, 400, "invalidPath");
    expectScimError(await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "remove", path: "userName" })), 400, "invalidValue");
    expectScimError(await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "replace", path: "id", value: "x" })), 400, "mutability");
    expect(await userRows(org.orgId)).toEqual(before);
  });

  it("renames to a taken userName with 409 uniqueness", async () => {
    const org = await newScimOrg();
    await createUser(org, { userName: "taken" });
    const other = await createUser(org, { userName: "other" });
    expectScimError(await org.call("PATCH", `/Users/${other.id}`, patchBody({ op: "replace", path: "userName", value: "TAKEN" })), 409, "uniqueness");
    expectScimError(await org.call("PUT", `/Users/${other.id}`, { userName: "Taken" }), 409, "uniqueness");
    expect((await org.call("GET", `/Users/${other.id}`)).body.userName).toBe("other");
  });
});

describe("deactivation and deletion", () => {
  it("keeps a deactivated user readable, listed and filterable, and lets it be reactivated", async () => {
    const org = await newScimOrg();
    const created = await createUser(org, alice);
    const off = await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "replace", path: "active", value: false }));
    expect(off.body.active).toBe(false);
    expect((await org.call("GET", `/Users/${created.id}`)).body.active).toBe(false);
    const inactive = await org.call("GET", `/Users?filter=${encodeURIComponent("active eq false")}`);
    expect(inactive.body.Resources.map((r: { id: string }) => r.id)).toEqual([created.id]);
    expect((await org.call("GET", "/Users")).body.totalResults).toBe(1);
    const on = await org.call("PATCH", `/Users/${created.id}`, patchBody({ op: "replace", value: { active: true } }));
    expect(on.body.active).toBe(true);
    expect((await org.call("GET", `/Users?filter=${encodeURIComponent("active eq false")}`)).body.totalResults).toBe(0);
  });

  it("deletes with 204; the user and its email rows are gone and every later request answers 404", async () => {
    const org = await newScimOrg();
    const created = await createUser(org, alice);
    const res = await org.call("DELETE", `/Users/${created.id}`);
    expect(res.status).toBe(204);
    expect(res.body).toBeUndefined();
    expect(await userRows(org.orgId)).toMatchObject({ users: 0, emails: 0 });
    expectScimError(await org.call("GET", `/Users/${created.id}`), 404);
    expectScimError(await org.call("DELETE", `/Users/${created.id}`), 404);
    expectScimError(await org.call("PUT", `/Users/${created.id}`, alice), 404);
    expect((await org.call("GET", "/Users")).body.totalResults).toBe(0);
    // The userName is free again.
    await createUser(org, alice);
  });
});

describe("attributes and excludedAttributes", () => {
  it("apply to every response that carries a resource", async () => {
    const org = await newScimOrg();
    const created = await org.call("POST", "/Users?attributes=userName", { ...alice, [ENT]: { department: "D" } });
    expect(created.body).toEqual({ schemas: [CORE], id: created.body.id, userName: alice.userName });
    const id = created.body.id;
    expect((await org.call("GET", `/Users/${id}?excludedAttributes=emails,name,meta,${ENT}`)).body).toEqual({
      schemas: [CORE],
      id,
      userName: alice.userName,
      displayName: alice.displayName,
      active: true,
    });
    expect((await org.call("PUT", `/Users/${id}?attributes=name.familyName`, alice)).body).toEqual({ schemas: [CORE], id, name: { familyName: "Smith" } });
    expect((await org.call("PATCH", `/Users/${id}?attributes=emails.value,meta.version`, patchBody())).body).toEqual({
      schemas: [CORE],
      id,
      emails: [{ value: "alice@example.com" }],
      meta: { version: expect.any(String) },
    });
    const list = await org.call("GET", "/Users?attributes=userName&excludedAttributes=userName");
    expect(list.body.Resources).toEqual([{ schemas: [CORE], id, userName: alice.userName }]);
    const search = await org.call("POST", "/Users/.search", { excludedAttributes: ["emails", "name", "meta", "displayName", "active"] });
    expect(search.body.Resources).toEqual([{ schemas: [CORE], id, userName: alice.userName }]);
  });
});

describe("methods", () => {
  it("answers 405 with Allow for unsupported methods", async () => {
    const org = await newScimOrg();
    const created = await createUser(org, alice);
    for (const [method, path, allow] of [
      ["DELETE", "/Users", "GET, POST"],
      ["PUT", "/Users", "GET, POST"],
      ["GET", "/Users/.search", "POST"],
      ["POST", `/Users/${created.id}`, "GET, PUT, PATCH, DELETE"],
    ] as const) {
      const res = await org.call(method, path);
      expectScimError(res, 405);
      expect(res.headers.get("Allow"), `${method} ${path}`).toBe(allow);
    }
  });

  it("needs a valid token", async () => {
    const org = await newScimOrg();
    const res = await org.call("GET", "/Users", undefined, { Authorization: "Bearer scim_nope" });
    expectScimError(res, 401);
  });
});

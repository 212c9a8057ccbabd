/** /Groups CRUD: the resource contract, PUT semantics, ETags, versions, 405s. */
import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg, ORIGIN, viaApp } from "../support/helpers";
import { createGroup, GROUP, groupRows, memberValues, patchGroup } from "../support/group-helpers";
import { createUser } from "../support/user-helpers";

const BASE = `${ORIGIN}/scim/v2`;
const MS_URN = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";

describe("POST /Groups", () => {
  it("creates a group with members and answers 201 with the whole resource, Location and ETag", async () => {
    const org = await newScimOrg();
    const alice = await createUser(org, { userName: "alice", displayName: "Alice A" });
    const bob = await createUser(org, { userName: "bob" });
    const res = await org.call("POST", "/Groups", {
      schemas: [GROUP, MS_URN],
      DisplayName: "Engineering",
      externalId: "ext-eng",
      id: "client-chosen",
      meta: { version: 'W/"99"' },
      members: [{ value: alice.id, $ref: null }, { value: bob.id, display: "ignored", type: "User" }],
    });
    expect(res.status).toBe(201);
    const id = res.body.id;
    expect(typeof id).toBe("string");
    expect(id).not.toBe("client-chosen");
    expect(res.headers.get("Location")).toBe(`${BASE}/Groups/${id}`);
    expect(res.headers.get("ETag")).toBe('W/"1"');
    expect(res.body).toEqual({
      schemas: [GROUP],
      id,
      externalId: "ext-eng",
      displayName: "Engineering",
      meta: {
        resourceType: "Group",
        created: expect.any(String),
        lastModified: res.body.meta.created,
        location: `${BASE}/Groups/${id}`,
        version: 'W/"1"',
      },
      members: expect.arrayContaining([
        { value: alice.id, display: "Alice A", $ref: `${BASE}/Users/${alice.id}`, type: "User" },
        { value: bob.id, display: "bob", $ref: `${BASE}/Users/${bob.id}`, type: "User" },
      ]),
    });
    expect(res.body.members).toHaveLength(2);
    expect((await org.call("GET", `/Groups/${id}`)).body).toEqual(res.body);
  });

  it("accepts members: [], no members, and a single member object where a list is expected", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "solo" });
    expect((await createGroup(org, { displayName: "Empty", members: [] })).members).toEqual([]);
    expect((await createGroup(org, { displayName: "None" })).members).toEqual([]);
    const single = await createGroup(org, { displayName: "Single", members: { value: user.id } });
    expect(single.members.map((m: { value: string }) => m.value)).toEqual([user.id]);
    const twice = await createGroup(org, { displayName: "Twice", members: [{ value: user.id }, { value: user.id, $ref: null }] });
    expect(twice.members).toHaveLength(1);
  });

  it("answers 409 uniqueness for a displayName taken case-insensitively, also on rename", async () => {
    const org = await newScimOrg();
    await createGroup(org, { displayName: "Émile's Team" });
    const dup = await org.call("POST", "/Groups", { displayName: "ÉMILE'S TEAM" });
    expectScimError(dup, 409, "uniqueness");
    const other = await createGroup(org, { displayName: "Other" });
    const rename = await org.call("PATCH", `/Groups/${other.id}`, {
      Operations: [{ op: "replace", path: "displayName", value: "émile's team" }],
    });
    expectScimError(rename, 409, "uniqueness");
    expectScimError(await org.call("PUT", `/Groups/${other.id}`, { displayName: "émile's team" }), 409, "uniqueness");
    expect((await org.call("GET", `/Groups/${other.id}`)).body).toMatchObject({ displayName: "Other", meta: { version: 'W/"1"' } });
    // Another org may use the name.
    const b = await newScimOrg();
    await createGroup(b, { displayName: "Émile's Team" });
  });

  it("refuses nested groups and members that are not users of this org, writing nothing", async () => {
    const org = await newScimOrg();
    const other = await newScimOrg();
    const user = await createUser(org, { userName: "u" });
    const foreign = await createUser(other, { userName: "f" });
    const group = await createGroup(org, { displayName: "Parent" });
    const before = await groupRows(org.orgId);
    const bodies = [
      { displayName: "A", members: [{ value: group.id, type: "Group" }] },
      { displayName: "B", members: [{ value: user.id }, { value: group.id, $ref: `${BASE}/Groups/${group.id}` }] },
      { displayName: "C", members: [{ value: user.id }, { value: foreign.id }] },
      { displayName: "D", members: [{ value: "string id 1" }] },
      { displayName: "E", members: [{ value: group.id }] },
    ];
    for (const body of bodies) expectScimError(await org.call("POST", "/Groups", body), 400, "invalidValue");
    expect(await groupRows(org.orgId)).toEqual(before);
  });
});

describe("references", () => {
  it("use PUBLIC_ORIGIN for Location, meta.location and every $ref when it is set", async () => {
    const org = await newScimOrg({ send: viaApp({ env: { PUBLIC_ORIGIN: "https://scim.example.com/" } }) });
    const user = await createUser(org, { userName: "ref" });
    const res = await org.call("POST", "/Groups", { displayName: "Refs", members: [{ value: user.id }] });
    const base = "https://scim.example.com/scim/v2";
    expect(res.headers.get("Location")).toBe(`${base}/Groups/${res.body.id}`);
    expect(res.body.meta.location).toBe(`${base}/Groups/${res.body.id}`);
    expect(res.body.members[0].$ref).toBe(`${base}/Users/${user.id}`);
    expect((await org.call("GET", `/Users/${user.id}`)).body.groups[0].$ref).toBe(`${base}/Groups/${res.body.id}`);
  });
});

describe("GET /Groups/{id}", () => {
  it("answers 404 for unknown ids and 304 for a matching If-None-Match", async () => {
    const org = await newScimOrg();
    expectScimError(await org.call("GET", "/Groups/nope"), 404);
    const group = await createGroup(org, { displayName: "G" });
    const cached = await org.call("GET", `/Groups/${group.id}`, undefined, { "If-None-Match": 'W/"1"' });
    expect(cached.status).toBe(304);
    expect(cached.headers.get("ETag")).toBe('W/"1"');
    expect((await org.call("GET", `/Groups/${group.id}`, undefined, { "If-None-Match": 'W/"2"' })).status).toBe(200);
  });

  it("projects attributes and excludedAttributes, members included", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "p", displayName: "P" });
    const group = await createGroup(org, { displayName: "Proj", externalId: "x", members: [{ value: user.id }] });
    const excluded = await org.call("GET", `/Groups/${group.id}?excludedAttributes=members`);
    expect(excluded.body).toEqual({ schemas: [GROUP], id: group.id, externalId: "x", displayName: "Proj", meta: group.meta });
    const only = await org.call("GET", `/Groups/${group.id}?attributes=members.value`);
    expect(only.body).toEqual({ schemas: [GROUP], id: group.id, members: [{ value: user.id }] });
    const name = await org.call("GET", `/Groups/${group.id}?attributes=displayName`);
    expect(name.body).toEqual({ schemas: [GROUP], id: group.id, displayName: "Proj" });
  });
});

describe("PUT /Groups/{id}", () => {
  it("replaces the whole group: omitted members empty it, omitted externalId clears it", async () => {
    const org = await newScimOrg();
    const [a, b, c] = [await createUser(org, { userName: "a" }), await createUser(org, { userName: "b" }), await createUser(org, { userName: "c" })];
    const group = await createGroup(org, { displayName: "Team", externalId: "e1", members: [{ value: a.id }, { value: b.id }] });

    const replaced = await org.call("PUT", `/Groups/${group.id}`, {
      schemas: [GROUP],
      id: group.id,
      displayName: "Team",
      externalId: "e1",
      members: [{ value: b.id }, { value: c.id }],
      meta: group.meta,
    });
    expect(replaced.status).toBe(200);
    expect(replaced.headers.get("ETag")).toBe('W/"2"');
    expect(replaced.body.members.map((m: { value: string }) => m.value).sort()).toEqual([b.id, c.id].sort());

    // The same state again changes nothing.
    const same = await org.call("PUT", `/Groups/${group.id}`, { displayName: "Team", externalId: "e1", members: [{ value: c.id }, { value: b.id }] });
    expect(same.body.meta).toEqual(replaced.body.meta);

    const emptied = await org.call("PUT", `/Groups/${group.id}`, { displayName: "Renamed" });
    expect(emptied.status).toBe(200);
    expect(emptied.body).toMatchObject({ displayName: "Renamed", members: [], meta: { version: 'W/"3"' } });
    expect(emptied.body.externalId).toBeUndefined();
    expect(await memberValues(org, group.id)).toEqual([]);
  });

  it("refuses a body without displayName or with an unknown member, writing nothing", async () => {
    const org = await newScimOrg();
    const a = await createUser(org, { userName: "a" });
    const group = await createGroup(org, { displayName: "Keep", members: [{ value: a.id }] });
    const before = await groupRows(org.orgId);
    expectScimError(await org.call("PUT", `/Groups/${group.id}`, { members: [] }), 400, "invalidValue");
    expectScimError(await org.call("PUT", `/Groups/${group.id}`, { displayName: "  " }), 400, "invalidValue");
    expectScimError(await org.call("PUT", `/Groups/${group.id}`, { displayName: "Keep", members: [{ value: "ghost" }] }), 400, "invalidValue");
    expectScimError(await org.call("PUT", "/Groups/nope", { displayName: "X" }), 404);
    expect(await groupRows(org.orgId)).toEqual(before);
  });
});

describe("conditional writes", () => {
  it("makes PUT, PATCH and DELETE conditional on If-Match: 412 on a stale ETag, writing nothing", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "m" });
    const group = await createGroup(org, { displayName: "Cond" });
    const stale = { "If-Match": 'W/"7"' };
    const before = await groupRows(org.orgId);
    expectScimError(await org.call("PUT", `/Groups/${group.id}`, { displayName: "X" }, stale), 412);
    expectScimError(await org.call("PATCH", `/Groups/${group.id}`, { Operations: [{ op: "add", path: "members", value: [{ value: user.id }] }] }, stale), 412);
    expectScimError(await org.call("DELETE", `/Groups/${group.id}`, undefined, stale), 412);
    expectScimError(await org.call("DELETE", `/Groups/${group.id}`, undefined, { "If-Match": "garbage" }), 412);
    expect(await groupRows(org.orgId)).toEqual(before);

    const patched = await org.call("PATCH", `/Groups/${group.id}`, { Operations: [{ op: "add", path: "members", value: [{ value: user.id }] }] }, { "If-Match": 'W/"1"' });
    expect(patched.status).toBe(204);
    expect(patched.headers.get("ETag")).toBe('W/"2"');
    expect((await org.call("PUT", `/Groups/${group.id}`, { displayName: "Y" }, { "If-Match": '"2"' })).status).toBe(200);
    expect((await org.call("DELETE", `/Groups/${group.id}`, undefined, { "If-Match": "*" })).status).toBe(204);
  });
});

describe("DELETE /Groups/{id}", () => {
  it("answers 204; the group and its memberships are gone; later requests answer 404", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "member" });
    const group = await createGroup(org, { displayName: "Doomed", members: [{ value: user.id }] });
    expect((await org.call("DELETE", `/Groups/${group.id}`)).status).toBe(204);
    expect(await groupRows(org.orgId)).toMatchObject({ groups: 0, members: 0 });
    expectScimError(await org.call("GET", `/Groups/${group.id}`), 404);
    expectScimError(await org.call("DELETE", `/Groups/${group.id}`), 404);
    expectScimError(await org.call("PATCH", `/Groups/${group.id}`, { Operations: [] }), 404);
    // The user stays, without the group.
    const after = await org.call("GET", `/Users/${user.id}`);
    expect(after.status).toBe(200);
    expect(after.body.groups).toBeUndefined();
  });
});

describe("versions", () => {
  it("bump by exactly one per changing write and not at all for a no-op", async () => {
    const org = await newScimOrg();
    const [a, b] = [await createUser(org, { userName: "a" }), await createUser(org, { userName: "b" })];
    const group = await createGroup(org, { displayName: "V" });
    const version = async () => (await org.call("GET", `/Groups/${group.id}`)).body.meta;
    const v1 = await version();
    await patchGroup(org, group.id, { op: "add", path: "members", value: [{ value: a.id }, { value: b.id }] });
    expect((await version()).version).toBe('W/"2"');
    await patchGroup(org, group.id, { op: "Add", path: "members", value: [{ value: a.id }] }); // Entra re-sends Add
    await patchGroup(org, group.id, { op: "remove", path: "members", value: [{ value: "not-a-member" }] });
    await patchGroup(org, group.id, { op: "replace", path: "displayName", value: "V" });
    await patchGroup(org, group.id);
    const v2 = await version();
    expect(v2.version).toBe('W/"2"');
    await patchGroup(
      org,
      group.id,
      { op: "remove", path: "members", value: [{ value: a.id }] },
      { op: "replace", path: "displayName", value: "V2" },
      { op: "add", path: "externalId", value: "x" },
    );
    const v3 = await version();
    expect(v3.version).toBe('W/"3"');
    expect(v3.created).toBe(v1.created);
    expect(Date.parse(v3.lastModified)).toBeGreaterThanOrEqual(Date.parse(v2.lastModified));
  });
});

describe("unsupported methods", () => {
  it("answer 405 with Allow", async () => {
    const org = await newScimOrg();
    const group = await createGroup(org, { displayName: "M" });
    const cases: [string, string, string][] = [
      ["DELETE", "/Groups", "GET, POST"],
      ["PUT", "/Groups", "GET, POST"],
      ["GET", "/Groups/.search", "POST"],
      ["POST", `/Groups/${group.id}`, "GET, PUT, PATCH, DELETE"],
    ];
    for (const [method, path, allow] of cases) {
      const res = await org.call(method, path);
      expectScimError(res, 405);
      expect(res.headers.get("Allow"), `${method} ${path}`).toBe(allow);
    }
  });
});

import { describe, expect, it } from "vitest";
import { newScimOrg, ORIGIN, request, viaWorker } from "../support/helpers";

const BASE = `${ORIGIN}/scim/v2`;

async function get(path: string, headers: Record<string, string> = {}) {
  const res = await viaWorker(request("GET", `/scim/v2${path}`, { headers }));
  expect(res.headers.get("Content-Type")).toBe("application/scim+json");
  return { status: res.status, body: await res.json<any>() };
}

describe("ServiceProviderConfig", () => {
  it("advertises every field, bulk with the limits it enforces", async () => {
    const { status, body } = await get("/ServiceProviderConfig");
    expect(status).toBe(200);
    expect(body).toMatchObject({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
      documentationUri: expect.any(String),
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 1048576 },
      filter: { supported: true, maxResults: expect.any(Number) },
      changePassword: { supported: false },
      sort: { supported: true },
      etag: { supported: true },
      meta: { resourceType: "ServiceProviderConfig", location: `${BASE}/ServiceProviderConfig` },
    });
    expect(body.filter.maxResults).toBeGreaterThanOrEqual(100);
    expect(body.authenticationSchemes).toEqual([
      expect.objectContaining({ type: "oauthbearertoken", name: expect.any(String), description: expect.any(String) }),
    ]);
  });

  it("answers with a valid token, with a bad one, and without one", async () => {
    const client = await newScimOrg();
    const anonymous = await get("/ServiceProviderConfig");
    expect((await client.call("GET", "/ServiceProviderConfig")).body).toEqual(anonymous.body);
    expect((await get("/ServiceProviderConfig", { Authorization: "Bearer nonsense" })).status).toBe(200);
  });
});

describe("ResourceTypes and Schemas", () => {
  it("lists the User resource type with the enterprise extension", async () => {
    const { body } = await get("/ResourceTypes");
    expect(body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:ListResponse"]);
    expect(body.totalResults).toBe(body.Resources.length);
    const user = body.Resources.find((r: any) => r.id === "User");
    expect(user).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "User",
      name: "User",
      endpoint: "/Users",
      description: expect.any(String),
      schema: "urn:ietf:params:scim:schemas:core:2.0:User",
      schemaExtensions: [{ schema: "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User", required: false }],
      meta: { resourceType: "ResourceType", location: `${BASE}/ResourceTypes/User` },
    });
    expect((await get("/ResourceTypes/User")).body).toEqual(user);
    expect((await get("/ResourceTypes/Nope")).status).toBe(404);
  });

  it("lists the Group resource type and publishes the Group schema", async () => {
    const { body } = await get("/ResourceTypes");
    expect(body.Resources.map((r: any) => r.id)).toEqual(["User", "Group"]);
    const group = body.Resources.find((r: any) => r.id === "Group");
    expect(group).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
      id: "Group",
      name: "Group",
      endpoint: "/Groups",
      description: expect.any(String),
      schema: "urn:ietf:params:scim:schemas:core:2.0:Group",
      schemaExtensions: [],
      meta: { resourceType: "ResourceType", location: `${BASE}/ResourceTypes/Group` },
    });
    expect((await get("/ResourceTypes/Group")).body).toEqual(group);

    const schema = (await get("/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group")).body;
    expect(schema).toMatchObject({ id: "urn:ietf:params:scim:schemas:core:2.0:Group", name: "Group" });
    expect(schema.attributes.find((a: any) => a.name === "displayName")).toMatchObject({ required: true, uniqueness: "server", caseExact: false });
    const members = schema.attributes.find((a: any) => a.name === "members");
    expect(members).toMatchObject({ type: "complex", multiValued: true, mutability: "readWrite" });
    expect(members.subAttributes.map((a: any) => a.name)).toEqual(["value", "$ref", "display", "type"]);
    expect(members.subAttributes.find((a: any) => a.name === "display")).toMatchObject({ mutability: "readOnly" });
    const all = (await get("/Schemas")).body;
    expect(all.Resources.map((s: any) => s.id)).toContain("urn:ietf:params:scim:schemas:core:2.0:Group");
    expect(all.totalResults).toBe(all.Resources.length);
  });

  it("publishes complete attribute definitions for User and Enterprise User", async () => {
    const { body } = await get("/Schemas");
    const ids = body.Resources.map((s: any) => s.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        "urn:ietf:params:scim:schemas:core:2.0:User",
        "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User",
      ]),
    );
    const user = body.Resources.find((s: any) => s.id === "urn:ietf:params:scim:schemas:core:2.0:User");
    const names = user.attributes.map((a: any) => a.name);
    expect(names).toEqual(
      expect.arrayContaining(["userName", "name", "displayName", "active", "emails", "phoneNumbers", "addresses", "groups"]),
    );
    // Every attribute carries every RFC 7643 §7 characteristic, recursively.
    const check = (a: any) => {
      for (const key of ["name", "type", "multiValued", "description", "required", "caseExact", "mutability", "returned", "uniqueness"]) {
        expect(a, `${a.name}.${key}`).toHaveProperty(key);
      }
      (a.subAttributes ?? []).forEach(check);
    };
    body.Resources.forEach((s: any) => s.attributes.forEach(check));
    expect(user.attributes.find((a: any) => a.name === "userName")).toMatchObject({ required: true, uniqueness: "server" });
    expect(user.attributes.find((a: any) => a.name === "password")).toMatchObject({ returned: "never", mutability: "writeOnly" });
    expect(user.attributes.find((a: any) => a.name === "groups")).toMatchObject({ mutability: "readOnly" });

    const one = await get("/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User");
    expect(one.body.attributes.map((a: any) => a.name)).toContain("manager");
    expect(one.body.meta.location).toBe(`${BASE}/Schemas/urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`);
    expect((await get("/Schemas/urn:nope")).status).toBe(404);
  });
});

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, expectScimError, newScimOrg, request, viaWorker } from "../support/helpers";

async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await viaWorker(request(method, path, { headers, body }));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

describe("authentication errors", () => {
  it("answers 401 with a SCIM body and WWW-Authenticate for missing, malformed and unknown tokens", async () => {
    const attempts: Record<string, string>[] = [
      {},
      { Authorization: "" },
      { Authorization: "Basic dXNlcjpwYXNz" },
      { Authorization: "Bearer" },
      { Authorization: "Bearer not-a-scim-token" },
      { Authorization: `Bearer scim_${"x".repeat(43)}` },
    ];
    for (const headers of attempts) {
      const res = await send("GET", "/scim/v2/Users", headers);
      expectScimError(res, 401);
      expect(res.headers.get("WWW-Authenticate"), JSON.stringify(headers)).toMatch(/^Bearer/);
    }
  });

  it("accepts the bearer scheme in any case", async () => {
    const client = await newScimOrg();
    const res = await send("GET", "/scim/v2/Nowhere", { Authorization: `bearer ${client.token}` });
    expectScimError(res, 404);
  });

  it("does not accept the operator token as a SCIM token", async () => {
    const res = await send("GET", "/scim/v2/Users", { Authorization: `Bearer ${env.ADMIN_TOKEN}` });
    expectScimError(res, 401);
  });
});

describe("SCIM error statuses", () => {
  it("404 for unknown paths, as SCIM JSON", async () => {
    const client = await newScimOrg();
    for (const path of ["/Nowhere", "/Users/x/y/z", "/", ""]) {
      expectScimError(await client.call("GET", path), 404);
    }
  });

  it("405 for a method the endpoint does not support, naming the allowed ones", async () => {
    const client = await newScimOrg();
    for (const [method, path] of [
      ["POST", "/ServiceProviderConfig"],
      ["DELETE", "/Schemas"],
      ["PUT", "/ResourceTypes/User"],
      ["PATCH", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User"],
    ]) {
      const res = await client.call(method, path, method === "DELETE" ? undefined : {});
      expectScimError(res, 405);
      expect(res.headers.get("Allow")).toBe("GET");
    }
  });

  it("501 for /Me; /Bulk takes POST only; both after authentication", async () => {
    const client = await newScimOrg();
    const empty = await client.call("POST", "/Bulk", { Operations: [] });
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkResponse"], Operations: [] });
    expectScimError(await client.call("GET", "/Me"), 501);
    expectScimError(await send("GET", "/scim/v2/Me"), 401);
    expectScimError(await send("POST", "/scim/v2/Bulk"), 401);
  });
});

describe("routing tolerance", () => {
  it("ignores doubled and trailing slashes and a trailing ? or &", async () => {
    const client = await newScimOrg();
    for (const path of [
      "/scim/v2//ServiceProviderConfig",
      "/scim/v2/ServiceProviderConfig/",
      "//scim//v2///ServiceProviderConfig//",
      "/scim/v2/ServiceProviderConfig?",
      "/scim/v2/ServiceProviderConfig/?x=1&",
      "/scim/v2/Schemas/urn:ietf:params:scim:schemas:core:2.0:User/",
    ]) {
      const res = await send("GET", path, { Authorization: `Bearer ${client.token}` });
      expect(res.status, path).toBe(200);
      expect(res.headers.get("Content-Type")).toBe("application/scim+json");
    }
    const bulk = await send("GET", "/scim/v2//Bulk/", { Authorization: `Bearer ${client.token}` });
    expectScimError(bulk, 405);
    expect(bulk.headers.get("Allow")).toBe("POST");
  });

  it("leaves the admin API's paths alone", async () => {
    expect((await admin("GET", "/orgs/")).status).toBe(404);
  });
});

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, ORIGIN, request, viaApp, viaWorker } from "../support/helpers";

describe("admin API: organizations", () => {
  it("creates, lists and reads an organization", async () => {
    const created = await admin("POST", "/orgs", { name: "Acme" });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: "Acme",
      scimEnabled: false,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    });
    const list = await admin("GET", "/orgs");
    expect(list.body.orgs).toContainEqual(created.body);
    const one = await admin("GET", `/orgs/${created.body.id}`);
    expect(one.body).toEqual(created.body);
  });

  it("rejects a bad body with 400 naming the field, and writes nothing", async () => {
    const before = (await admin("GET", "/orgs")).body.orgs.length;
    for (const body of [{}, { name: "" }, { name: 42 }, { name: "   " }]) {
      const res = await admin("POST", "/orgs", body);
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "invalid_request", field: "name" });
      expect(res.body.error.message).toEqual(expect.any(String));
    }
    const malformed = await viaWorker(
      new Request(`${ORIGIN}/api/v1/orgs`, {
        method: "POST",
        headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "Content-Type": "application/json" },
        body: "{not json",
      }),
    );
    expect(malformed.status).toBe(400);
    expect((await malformed.json<any>()).error.code).toBe("invalid_request");
    expect((await admin("GET", "/orgs")).body.orgs.length).toBe(before);
  });

  it("answers 404 for an unknown org", async () => {
    for (const [method, path, body] of [
      ["GET", "/orgs/nope", undefined],
      ["PATCH", "/orgs/nope/scim", { enabled: true }],
      ["POST", "/orgs/nope/scim/tokens", { description: "x" }],
      ["GET", "/orgs/nope/scim/tokens", undefined],
      ["DELETE", "/orgs/nope/scim/tokens/abc", undefined],
    ] as const) {
      const res = await admin(method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
  });

  it("switches SCIM on and off and reports the SCIM URL", async () => {
    const org = (await admin("POST", "/orgs", { name: "Switch" })).body;
    const on = await admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true });
    expect(on).toMatchObject({ status: 200, body: { enabled: true, scimUrl: `${ORIGIN}/scim/v2` } });
    expect((await admin("GET", `/orgs/${org.id}`)).body.scimEnabled).toBe(true);
    const off = await admin("PATCH", `/orgs/${org.id}/scim`, { enabled: false });
    expect(off.body.enabled).toBe(false);
    expect((await admin("PATCH", `/orgs/${org.id}/scim`, { enabled: "yes" })).status).toBe(400);
  });

  it("uses PUBLIC_ORIGIN for the SCIM URL when it is set", async () => {
    const send = viaApp({ env: { PUBLIC_ORIGIN: "https://id.example.com/" } });
    const org = (await admin("POST", "/orgs", { name: "Custom domain" }, send)).body;
    const on = await admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true }, send);
    expect(on.body.scimUrl).toBe("https://id.example.com/scim/v2");
    const minted = await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "x" }, send);
    expect(minted.body.scimUrl).toBe("https://id.example.com/scim/v2");
  });
});

describe("admin API: operator authentication", () => {
  it("refuses missing and wrong credentials with 401", async () => {
    const attempts: Record<string, string>[] = [{}, { Authorization: "Bearer wrong" }, { Authorization: env.ADMIN_TOKEN }];
    for (const headers of attempts) {
      const res = await viaWorker(request("GET", "/api/v1/orgs", { headers }));
      expect(res.status).toBe(401);
      expect((await res.json<any>()).error.code).toBe("unauthorized");
    }
  });

  it("fails closed when ADMIN_TOKEN is unset or shorter than 32 characters", async () => {
    for (const configured of [undefined, "", "short-token-of-31-characters-xx"]) {
      const send = viaApp({ env: { ADMIN_TOKEN: configured as string } });
      const presented = configured ?? "";
      const res = await send(request("GET", "/api/v1/orgs", { headers: { Authorization: `Bearer ${presented}` } }));
      expect(res.status).toBe(401);
      expect((await res.json<any>()).error.message).toMatch(/ADMIN_TOKEN/);
    }
  });

  it("does not accept a SCIM token as an operator credential", async () => {
    const org = (await admin("POST", "/orgs", { name: "Separation" })).body;
    const { token } = (await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "idp" })).body;
    const res = await viaWorker(request("GET", "/api/v1/orgs", { headers: { Authorization: `Bearer ${token}` } }));
    expect(res.status).toBe(401);
  });
});

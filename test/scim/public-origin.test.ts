// Finding 1 of issue 16: the request's Host must not decide the links the service hands out.
// Without PUBLIC_ORIGIN the request's origin is used only on a loopback host (local development);
// any other host is refused (421) before anything is written, with a warning in the Worker's log.
import { afterEach, describe, expect, it, vi } from "vitest";
import { addressedTo, admin, consoleSignIn, expectScimError, newScimOrg, scimClient } from "../support/helpers";

const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

const UNSET = { PUBLIC_ORIGIN: "" };

describe("SCIM links and the Host header", () => {
  afterEach(() => vi.restoreAllMocks());

  it("refuses a non-loopback host without PUBLIC_ORIGIN: 421, nothing written, a warning logged", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const org = await newScimOrg();
    const attacker = scimClient(org.orgId, org.token, org.tokenId, org.scimUrl, addressedTo("https://attacker.example", UNSET));

    const created = await attacker.call("POST", "/Users", { schemas: [CORE_USER], userName: "mallory" });
    expectScimError(created, 421);
    expect(created.body.detail).toMatch(/PUBLIC_ORIGIN/);
    expect(JSON.stringify(created.body)).not.toContain("attacker.example/scim");
    expect(created.headers.get("Location")).toBeNull();
    expect((await org.call("GET", '/Users?filter=userName eq "mallory"')).body.totalResults).toBe(0);

    for (const path of ["/ServiceProviderConfig", "/Users", "/Groups", "/Schemas"]) {
      const res = await attacker.call("GET", path);
      expectScimError(res, 421);
      expect(JSON.stringify(res.body)).not.toContain("attacker.example");
    }
    expect(warnings.mock.calls.flat().join(" ")).toMatch(/PUBLIC_ORIGIN/);
  });

  it("uses the request's origin on loopback hosts (local development)", async () => {
    for (const origin of ["http://127.0.0.1:8787", "http://localhost:8787", "http://[::1]:8787", "http://127.9.8.7"]) {
      const org = await newScimOrg({ send: addressedTo(origin, UNSET) });
      expect(org.scimUrl).toBe(`${origin}/scim/v2`);
      const created = await org.call("POST", "/Users", { schemas: [CORE_USER], userName: `dev-${crypto.randomUUID()}` });
      expect(created.status).toBe(201);
      expect(created.headers.get("Location")).toBe(`${origin}/scim/v2/Users/${created.body.id}`);
      expect(created.body.meta.location).toBe(`${origin}/scim/v2/Users/${created.body.id}`);
    }
  });

  it("with PUBLIC_ORIGIN set, links ignore the Host header", async () => {
    const send = addressedTo("https://attacker.example", { PUBLIC_ORIGIN: "https://scim.example.com" });
    const org = await newScimOrg({ send });
    expect(org.scimUrl).toBe("https://scim.example.com/scim/v2");
    const user = await org.call("POST", "/Users", { schemas: [CORE_USER], userName: "ann" });
    expect(user.headers.get("Location")).toBe(`https://scim.example.com/scim/v2/Users/${user.body.id}`);
    const group = await org.call("POST", "/Groups", { displayName: "G", members: [{ value: user.body.id }] });
    expect(group.body.members[0].$ref).toBe(`https://scim.example.com/scim/v2/Users/${user.body.id}`);
    expect(JSON.stringify([user.body, group.body])).not.toContain("attacker.example");
  });
});

describe("admin API answers that carry the SCIM URL", () => {
  afterEach(() => vi.restoreAllMocks());

  it("refuse a non-loopback host without PUBLIC_ORIGIN before writing anything", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const attacker = addressedTo("https://attacker.example", UNSET);
    const org = (await admin("POST", "/orgs", { name: "Host header" })).body;

    const minted = await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "x", ttlDays: 1 }, attacker);
    expect(minted.status).toBe(421);
    expect(minted.body.error.code).toBe("public_origin_required");
    expect((await admin("GET", `/orgs/${org.id}/scim/tokens`)).body.tokens).toEqual([]);

    const switched = await admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true }, attacker);
    expect(switched.status).toBe(421);
    expect((await admin("GET", `/orgs/${org.id}`)).body.scimEnabled).toBe(false);
  });

  it("the console shows a warning instead of a SCIM URL on such a host", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const attacker = addressedTo("https://attacker.example", UNSET);
    const org = (await admin("POST", "/orgs", { name: "Console" })).body;
    const session = await consoleSignIn(attacker);
    const page = await attacker(new Request(`https://scim.test/admin/orgs/${org.id}/settings/authentication/scim`, { headers: { Cookie: session.cookie } }));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('id="public-origin-warning"');
    expect(html).not.toContain("attacker.example");
  });
});

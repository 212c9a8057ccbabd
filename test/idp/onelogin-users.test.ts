/** OneLogin's template-built requests (docs/idp-dialects.md). */
import { describe, expect, it } from "vitest";
import { newScimOrg } from "../support/helpers";
import { PATCH_OP } from "../support/user-helpers";

/** OneLogin's template: legacy core URN, `"id": null`, booleans as strings. */
const template = (familyName: string, active: string) => ({
  schemas: ["urn:scim:schemas:core:2.0"],
  id: null,
  userName: "ol.user@example.com",
  name: { givenName: "One", familyName },
  emails: [{ value: "ol.user@example.com", primary: "true" }],
  active,
});

describe("OneLogin", () => {
  it("creates and replaces users with legacy URNs, string booleans and a null id; URLs with a trailing ? or &", async () => {
    const org = await newScimOrg();
    const lookup = await org.call("GET", "/Users?filter=userName+eq+%22ol.user%40example.com%22&");
    expect(lookup.status).toBe(200);
    expect(lookup.body.totalResults).toBe(0);

    const created = await org.call("POST", "/Users?", template("Login", "true"));
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ active: true, emails: [{ value: "ol.user@example.com", primary: true }] });
    const id = created.body.id;

    const found = await org.call("GET", "/Users?filter=userName+eq+%22OL.USER%40example.com%22&");
    expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    const replaced = await org.call("PUT", `/Users/${id}?`, template("Login-Renamed", "false"));
    expect(replaced.status).toBe(200);
    expect(replaced.body).toMatchObject({ id, active: false, name: { familyName: "Login-Renamed" } });

    const patched = await org.call("PATCH", `/Users/${id}?`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: "true" }] });
    expect(patched.body.active).toBe(true);
  });
});

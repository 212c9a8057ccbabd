/** Google's catalog apps: plain application/json and the SCIM 1.0 core URN among the schemas. */
import { describe, expect, it } from "vitest";
import { newScimOrg } from "../support/helpers";
import { CORE, PATCH_OP } from "../support/user-helpers";

const JSON_TYPE = { "Content-Type": "application/json" };

describe("Google", () => {
  it("provisions, updates and deprovisions with application/json bodies", async () => {
    const org = await newScimOrg();
    const body = {
      schemas: [CORE, "urn:scim:schemas:core:1.0"],
      userName: "g.user@example.com",
      name: { givenName: "Gee", familyName: "User" },
      emails: [{ value: "g.user@example.com", type: "work", primary: true }],
      active: true,
    };
    const created = await org.call("POST", "/Users", body, JSON_TYPE);
    expect(created.status).toBe(201);
    expect(created.headers.get("Content-Type")).toMatch(/^application\/scim\+json/);
    expect(created.body.schemas).toEqual([CORE]);
    const id = created.body.id;

    const put = await org.call("PUT", `/Users/${id}`, { ...body, name: { givenName: "Gee", familyName: "Changed" } }, { "Content-Type": "application/json; charset=utf-8" });
    expect(put.body.name.familyName).toBe("Changed");
    const suspended = await org.call("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] }, JSON_TYPE);
    expect(suspended.body.active).toBe(false);
    const search = await org.call("POST", "/Users/.search", { filter: 'userName eq "g.user@example.com"' }, JSON_TYPE);
    expect(search.body.totalResults).toBe(1);
    expect((await org.call("DELETE", `/Users/${id}`)).status).toBe(204);
  });
});

/** JumpCloud's user flow (docs/idp-dialects.md): Test Connection, then Activate's user round trip. */
import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg } from "../support/helpers";
import { CORE, PATCH_OP } from "../support/user-helpers";

describe("JumpCloud", () => {
  it("Test Connection reads the user list of an empty org, with or without a trailing slash", async () => {
    const org = await newScimOrg();
    for (const path of ["/Users", "/Users/", "//Users"]) {
      const res = await org.call("GET", path);
      expect(res.status, path).toBe(200);
      expect(res.body).toMatchObject({ totalResults: 0, itemsPerPage: 0, startIndex: 1, Resources: [] });
    }
  });

  it("Activate: looks the test user up, creates, updates by PUT and by PATCH, deactivates, reactivates, deletes", async () => {
    const org = await newScimOrg();
    const email = "jc-test-user@example.com";

    const lookup = await org.call("GET", `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
    expect(lookup.body.totalResults).toBe(0);
    const byEmail = await org.call("GET", `/Users?filter=${encodeURIComponent(`emails.value eq "${email}"`)}`);
    expect(byEmail.body.totalResults).toBe(0);

    const created = await org.call("POST", "/Users", {
      schemas: [CORE],
      userName: email,
      name: { givenName: "Test", familyName: "User" },
      displayName: "Test User",
      emails: [{ value: email, type: "work", primary: true }],
      active: true,
    });
    expect(created.status).toBe(201);
    expect(typeof created.body.id).toBe("string");
    expect(created.headers.get("Location")).toContain(`/Users/${created.body.id}`);
    const id = created.body.id;

    const found = await org.call("GET", `/Users?filter=${encodeURIComponent(`userName eq "${email.toUpperCase()}"`)}`);
    expect(found.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    const put = await org.call("PUT", `/Users/${id}`, {
      schemas: [CORE],
      id,
      userName: email,
      name: { givenName: "Testy", familyName: "User" },
      displayName: "Testy User",
      emails: [{ value: email, type: "work", primary: true }],
      active: true,
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ name: { givenName: "Testy" }, displayName: "Testy User", meta: { version: 'W/"2"' } });

    const patched = await org.call("PATCH", `/Users/${id}`, {
      schemas: [PATCH_OP],
      Operations: [
        { op: "replace", path: "name.familyName", value: "Tester" },
        { op: "replace", path: "displayName", value: "Testy Tester" },
        { op: "replace", path: "emails", value: [{ value: "jc-new@example.com", type: "work", primary: true }] },
      ],
    });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({
      name: { givenName: "Testy", familyName: "Tester" },
      displayName: "Testy Tester",
      emails: [{ value: "jc-new@example.com", type: "work", primary: true }],
    });

    const off = await org.call("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: false }] });
    expect(off.body.active).toBe(false);
    const stillThere = await org.call("GET", `/Users/${id}`);
    expect(stillThere.status).toBe(200);
    expect(stillThere.body.active).toBe(false);

    const on = await org.call("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "active", value: true }] });
    expect(on.body.active).toBe(true);

    expect((await org.call("DELETE", `/Users/${id}`)).status).toBe(204);
    expectScimError(await org.call("GET", `/Users/${id}`), 404);
    const after = await org.call("GET", `/Users?filter=${encodeURIComponent(`userName eq "${email}"`)}`);
    expect(after.body.totalResults).toBe(0);
  });
});

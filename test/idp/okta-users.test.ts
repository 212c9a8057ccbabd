/** Okta's user flow (docs/idp-dialects.md). */
import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg } from "../support/helpers";
import { CORE, PATCH_OP, allStoredText } from "../support/user-helpers";

const OKTA = { "User-Agent": "Okta SCIM Client 1.0.0" };
const PASSWORD = "Okta-Pa55word-that-must-be-stored-nowhere";

describe("Okta", () => {
  it("saves the app by reading two users, and looks users up with an unencoded filter", async () => {
    const org = await newScimOrg();
    const page = await org.call("GET", "/Users?startIndex=1&count=2", undefined, OKTA);
    expect(page.status).toBe(200);
    expect(page.body).toMatchObject({ totalResults: 0, startIndex: 1, itemsPerPage: 0, Resources: [] });
    // Okta's test writes the filter raw; its HTTP client (like Request here) percent-encodes it.
    const lookup = await org.call("GET", '/Users?filter=userName eq "nobody@example.com"&startIndex=1&count=100', undefined, OKTA);
    expect(lookup.body.totalResults).toBe(0);
  });

  it("creates with password, groups and externalId, then GET + full PUT, then toggles active without a path", async () => {
    const org = await newScimOrg();
    const created = await org.call(
      "POST",
      "/Users",
      {
        schemas: [CORE],
        userName: "okta.user@example.com",
        name: { givenName: "Okta", familyName: "User" },
        emails: [{ primary: true, value: "okta.user@example.com", type: "work" }],
        displayName: "Okta User",
        locale: "en-US",
        externalId: "00u1abcdEFGH",
        groups: [],
        password: PASSWORD,
        active: true,
      },
      OKTA,
    );
    expect(created.status).toBe(201);
    expect(created.body.password).toBeUndefined();
    expect(created.body.groups).toBeUndefined();
    expect(created.body.externalId).toBe("00u1abcdEFGH");
    expect(await allStoredText()).not.toContain(PASSWORD);

    const id = created.body.id;
    const lookup = await org.call("GET", '/Users?filter=userName eq "okta.user@example.com"&startIndex=1&count=100', undefined, OKTA);
    expect(lookup.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    // Profile update: GET, then PUT the whole thing back (id, meta and groups included).
    const current = (await org.call("GET", `/Users/${id}`, undefined, OKTA)).body;
    const put = await org.call("PUT", `/Users/${id}`, { ...current, groups: [], name: { givenName: "Okta", familyName: "Renamed" }, password: PASSWORD }, OKTA);
    expect(put.status).toBe(200);
    expect(put.body.name.familyName).toBe("Renamed");
    expect(put.body.id).toBe(id);
    expect(await allStoredText()).not.toContain(PASSWORD);

    const off = await org.call("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: false } }] }, OKTA);
    expect(off.status).toBe(200);
    expect(off.body.active).toBe(false);
    const on = await org.call("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", value: { active: true } }] }, OKTA);
    expect(on.body.active).toBe(true);
    expect(on.body.meta.version).toBe('W/"4"');
  });

  it("gets errors with string statuses and a uniqueness conflict for a duplicate", async () => {
    const org = await newScimOrg();
    const body = { schemas: [CORE], userName: "dup@example.com", password: PASSWORD, active: true };
    expect((await org.call("POST", "/Users", body, OKTA)).status).toBe(201);
    const dup = await org.call("POST", "/Users", { ...body, userName: "DUP@example.com" }, OKTA);
    expectScimError(dup, 409, "uniqueness");
    expect(dup.body.status).toBe("409");
    expectScimError(await org.call("GET", "/Users/does-not-exist", undefined, OKTA), 404);
  });
});

/** authentik: reads ServiceProviderConfig first, then looks users up and updates them with PUT. */
import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg } from "../support/helpers";
import { CORE } from "../support/user-helpers";

describe("authentik", () => {
  it("reads ServiceProviderConfig, creates, adopts on conflict by lookup, and updates with PUT", async () => {
    const org = await newScimOrg();
    const spc = await org.call("GET", "/ServiceProviderConfig");
    expect(spc.body).toMatchObject({ patch: { supported: true }, filter: { supported: true }, bulk: { maxOperations: expect.any(Number) } });

    const body = {
      schemas: [CORE],
      userName: "ak-user",
      name: { formatted: "Auth Entik", givenName: "Auth", familyName: "Entik" },
      displayName: "Auth Entik",
      active: true,
      emails: [{ value: "ak@example.com", type: "other", primary: true }],
      externalId: "ak-uuid-1",
    };
    const created = await org.call("POST", "/Users", body);
    expect(created.status).toBe(201);

    // A second sync hits the conflict, looks the user up and adopts it.
    expectScimError(await org.call("POST", "/Users", body), 409, "uniqueness");
    const lookup = await org.call("GET", `/Users?filter=${encodeURIComponent('userName eq "ak-user"')}`);
    expect(lookup.body.Resources.map((r: { id: string }) => r.id)).toEqual([created.body.id]);

    const put = await org.call("PUT", `/Users/${created.body.id}`, { ...body, displayName: "Auth E.", active: false });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ displayName: "Auth E.", active: false, externalId: "ak-uuid-1" });
    const unchanged = await org.call("PUT", `/Users/${created.body.id}`, { ...body, displayName: "Auth E.", active: false });
    expect(unchanged.body.meta.version).toBe(put.body.meta.version);
  });
});

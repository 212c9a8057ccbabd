/** Microsoft Entra ID's user flow (docs/idp-dialects.md), in its default and its flagged dialect. */
import { describe, expect, it } from "vitest";
import { newScimOrg, type ScimClient } from "../support/helpers";
import { CORE, ENT, PATCH_OP } from "../support/user-helpers";

const entraUser = (userName: string) => ({
  schemas: [CORE, "urn:ietf:params:scim:schemas:extension:enterprise:2.0User"],
  externalId: crypto.randomUUID(),
  userName,
  active: true,
  emails: [{ primary: true, type: "work", value: userName }],
  meta: { resourceType: "User" },
  name: { formatted: "Given Family", familyName: "Family", givenName: "Given" },
  roles: [],
  [ENT]: { employeeNumber: "1000", department: "Engineering" },
});

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

async function testConnection(org: ScimClient) {
  const res = await org.call("GET", `/Users?filter=${encodeURIComponent(`userName eq "${crypto.randomUUID()}"`)}`);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ totalResults: 0, Resources: [] });
}

describe("Entra ID, default dialect", () => {
  it("tests the connection, provisions, updates with its non-standard PATCH, manages the manager, disables", async () => {
    const org = await newScimOrg();
    await testConnection(org);
    const manager = (await org.call("POST", "/Users", entraUser("manager@contoso.example"))).body;
    const created = await org.call("POST", "/Users", entraUser("user@contoso.example"));
    expect(created.status).toBe(201);
    expect(created.body.schemas).toEqual([CORE, ENT]);
    expect(created.body.roles).toBeUndefined();
    const id = created.body.id;

    const byExternalId = await org.call(
      "GET",
      `/Users?filter=${encodeURIComponent(`externalId eq "${created.body.externalId}" and userName eq "USER@contoso.example"`)}`,
    );
    expect(byExternalId.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);

    const updated = await org.call(
      "PATCH",
      `/Users/${id}`,
      patch(
        { op: "Replace", path: 'emails[type eq "work"].value', value: "renamed@contoso.example" },
        { op: "Replace", path: "name.familyName", value: "Updated" },
        { op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0100" },
        { op: "Add", path: 'addresses[type eq "work"].locality', value: "Redmond" },
        { op: "Replace", path: "displayName", value: "Given Updated" },
        { op: "Add", path: `${ENT}:manager`, value: { value: manager.id } },
      ),
    );
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      emails: [{ primary: true, type: "work", value: "renamed@contoso.example" }],
      name: { familyName: "Updated", givenName: "Given" },
      phoneNumbers: [{ type: "mobile", value: "+1 555 0100" }],
      addresses: [{ type: "work", locality: "Redmond" }],
      displayName: "Given Updated",
      [ENT]: { employeeNumber: "1000", department: "Engineering", manager: { value: manager.id } },
    });
    // The filtered path now exists: a second Add replaces rather than duplicates.
    const again = await org.call("PATCH", `/Users/${id}`, patch({ op: "Add", path: 'phoneNumbers[type eq "mobile"].value', value: "+1 555 0199" }));
    expect(again.body.phoneNumbers).toEqual([{ type: "mobile", value: "+1 555 0199" }]);

    // Entra's other manager shape, then its clearing with an empty value and with Remove.
    const bare = await org.call("PATCH", `/Users/${id}`, patch({ op: "Replace", path: `${ENT}:manager`, value: manager.id }));
    expect(bare.body[ENT].manager).toEqual({ value: manager.id });
    const cleared = await org.call("PATCH", `/Users/${id}`, patch({ op: "Replace", path: `${ENT}:manager`, value: "" }, { op: "Replace", path: "displayName", value: null }));
    expect(cleared.body[ENT].manager).toBeUndefined();
    expect(cleared.body.displayName).toBeUndefined();
    await org.call("PATCH", `/Users/${id}`, patch({ op: "Add", path: `${ENT}:manager`, value: { value: manager.id } }));
    const removed = await org.call("PATCH", `/Users/${id}`, patch({ op: "Remove", path: `${ENT}:manager` }));
    expect(removed.body[ENT]).toEqual({ employeeNumber: "1000", department: "Engineering" });

    // Now and then an empty Operations list: a no-op.
    const noop = await org.call("PATCH", `/Users/${id}`, patch());
    expect(noop.status).toBe(200);
    expect(noop.body.meta.version).toBe(removed.body.meta.version);

    const disabled = await org.call("PATCH", `/Users/${id}`, patch({ op: "Replace", path: "active", value: "False" }));
    expect(disabled.body.active).toBe(false);
    const listed = await org.call("GET", `/Users?filter=${encodeURIComponent("active eq false")}`);
    expect(listed.body.Resources.map((r: { id: string }) => r.id)).toEqual([id]);
    const enabled = await org.call("PATCH", `/Users/${id}`, patch({ op: "Replace", path: "active", value: "True" }));
    expect(enabled.body.active).toBe(true);
    expect((await org.call("DELETE", `/Users/${id}`)).status).toBe(204);
  });
});

describe("Entra ID, with the SCIM compatibility flag", () => {
  it("uses lowercase ops, real booleans and no-path replaces with flat dotted and URN keys", async () => {
    const org = await newScimOrg();
    await testConnection(org);
    const id = (await org.call("POST", "/Users", entraUser("flagged@contoso.example"))).body.id;
    const res = await org.call(
      "PATCH",
      `/Users/${id}`,
      patch({
        op: "replace",
        value: {
          "name.givenName": "Flagged",
          "name.familyName": "User",
          [`${ENT}:employeeNumber`]: "2000",
          [`${ENT}:manager`]: { value: "some-manager-id" },
          active: false,
          "emails[type eq \"work\"].value": "ignored-key@contoso.example",
        },
      }),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      name: { givenName: "Flagged", familyName: "User", formatted: "Given Family" },
      active: false,
      emails: [{ value: "flagged@contoso.example" }],
      [ENT]: { employeeNumber: "2000", department: "Engineering", manager: { value: "some-manager-id" } },
    });
    const reenabled = await org.call("PATCH", `/Users/${id}`, patch({ op: "replace", path: "active", value: true }));
    expect(reenabled.body.active).toBe(true);
    const removed = await org.call("PATCH", `/Users/${id}`, patch({ op: "remove", path: 'emails[value eq "flagged@contoso.example"]' }));
    expect(removed.body.emails).toBeUndefined();
  });
});

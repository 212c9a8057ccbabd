/**
 * Microsoft Entra ID's group provisioning (docs/idp-dialects.md), in its default and its flagged
 * dialect: group reads with excludedAttributes=members, `eq`/`and` filters, member objects with
 * `$ref: null`, re-sent Adds, removal with a value list (default) or a filter path (flagged), and
 * members as bare id strings (Microsoft's reference collection).
 */
import { describe, expect, it } from "vitest";
import { newScimOrg, type ScimClient } from "../support/helpers";
import { GROUP, groupVersion, memberValues } from "../support/group-helpers";
import { CORE, PATCH_OP } from "../support/user-helpers";

const MS_GROUP = "http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group";
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });
const filter = (f: string) => `/Groups?excludedAttributes=members&filter=${encodeURIComponent(f)}`;

async function entraUsers(org: ScimClient, n: number) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await org.call("POST", "/Users", { schemas: [CORE], userName: `e${i}@contoso.example`, externalId: crypto.randomUUID(), active: "True" });
    ids.push(res.body.id);
  }
  return ids;
}

/** The part both dialects share: lookup, create with the Microsoft URN, read without members. */
async function provision(org: ScimClient, name: string) {
  const externalId = crypto.randomUUID();
  const lookup = await org.call("GET", filter(`displayName eq "${name}"`));
  expect(lookup.body).toMatchObject({ totalResults: 0, Resources: [] });
  const created = await org.call("POST", "/Groups", { schemas: [GROUP, MS_GROUP], externalId, displayName: name, members: [] });
  expect(created.status).toBe(201);
  const id = created.body.id;
  const read = await org.call("GET", filter(`id eq "${id}" and displayName eq "${name}"`));
  expect(read.body.Resources).toEqual([
    { schemas: [GROUP], id, externalId, displayName: name, meta: expect.objectContaining({ resourceType: "Group" }) },
  ]);
  const single = await org.call("GET", `/Groups/${id}?excludedAttributes=members`);
  expect(single.body).not.toHaveProperty("members");
  expect((await org.call("GET", filter(`externalId eq "${externalId}"`))).body.totalResults).toBe(1);
  return id as string;
}

describe("Entra ID groups, default dialect", () => {
  it("creates, adds with $ref null, re-sends Add without a version bump, removes with a value list, renames, deletes", async () => {
    const org = await newScimOrg();
    const [u1, u2, u3] = await entraUsers(org, 3);
    const id = await provision(org, "Contoso Sales");

    const add = patch({ op: "Add", path: "members", value: [{ $ref: null, value: u1 }, { $ref: null, value: u2 }] });
    expect((await org.call("PATCH", `/Groups/${id}`, add)).status).toBe(204);
    expect(await groupVersion(org, id)).toBe('W/"2"');
    expect((await org.call("PATCH", `/Groups/${id}`, add)).status).toBe(204);
    expect(await groupVersion(org, id)).toBe('W/"2"');
    expect((await org.call("PATCH", `/Groups/${id}`, patch())).status).toBe(204); // an empty Operations list

    const remove = patch({ op: "Remove", path: "members", value: [{ $ref: null, value: u1 }] });
    expect((await org.call("PATCH", `/Groups/${id}`, remove)).status).toBe(204);
    expect(await memberValues(org, id)).toEqual([u2]);

    const rename = patch({ op: "Replace", path: "displayName", value: "Contoso Sales EMEA" }, { op: "Add", path: "members", value: [{ $ref: null, value: u3 }] });
    expect((await org.call("PATCH", `/Groups/${id}`, rename)).status).toBe(204);
    expect((await org.call("GET", filter('displayName eq "contoso sales emea"'))).body.Resources[0]).toMatchObject({ id, displayName: "Contoso Sales EMEA" });
    expect(await memberValues(org, id)).toEqual([u2, u3].sort());

    expect((await org.call("DELETE", `/Groups/${id}`)).status).toBe(204);
  });
});

describe("Entra ID groups, flagged dialect", () => {
  it("uses lowercase ops, removes through members[value eq], renames through a no-path replace", async () => {
    const org = await newScimOrg();
    const [u1, u2] = await entraUsers(org, 2);
    const id = await provision(org, "Contoso Flagged");

    expect((await org.call("PATCH", `/Groups/${id}`, patch({ op: "add", path: "members", value: [{ value: u1 }, { value: u2 }] }))).status).toBe(204);
    expect((await org.call("PATCH", `/Groups/${id}`, patch({ op: "remove", path: `members[value eq "${u1}"]` }))).status).toBe(204);
    expect(await memberValues(org, id)).toEqual([u2]);
    expect((await org.call("PATCH", `/Groups/${id}`, patch({ op: "replace", value: { displayName: "Contoso Flagged 2", externalId: "new-ext" } }))).status).toBe(204);
    expect((await org.call("GET", `/Groups/${id}?excludedAttributes=members`)).body).toMatchObject({ displayName: "Contoso Flagged 2", externalId: "new-ext" });
    // The user's side shows the membership; deleting the user removes it.
    expect((await org.call("GET", `/Users/${u2}`)).body.groups).toEqual([expect.objectContaining({ value: id, display: "Contoso Flagged 2", type: "direct" })]);
    expect((await org.call("DELETE", `/Users/${u2}`)).status).toBe(204);
    expect(await memberValues(org, id)).toEqual([]);
    expect((await org.call("DELETE", `/Groups/${id}`)).status).toBe(204);
  });
});

describe("Microsoft's reference collection", () => {
  it("sends members as bare id strings, in a create and in PATCH add and remove", async () => {
    const org = await newScimOrg();
    const [u1, u2] = await entraUsers(org, 2);
    const created = await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "Reference", members: [u1] });
    expect(created.status).toBe(201);
    const id = created.body.id;
    expect((await org.call("PATCH", `/Groups/${id}`, patch({ op: "add", path: "members", value: u2 }))).status).toBe(204);
    expect(await memberValues(org, id)).toEqual([u1, u2].sort());
    expect((await org.call("PATCH", `/Groups/${id}`, patch({ op: "remove", path: "members", value: [u1] }))).status).toBe(204);
    expect(await memberValues(org, id)).toEqual([u2]);
  });
});

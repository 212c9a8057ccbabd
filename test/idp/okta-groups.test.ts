/**
 * Okta's group push (docs/idp-dialects.md): reads a page of groups, creates with `members: []`,
 * renames through a no-path value carrying the read-only `id`, adds with path `members`, removes through
 * `members[value eq "..."]`, pushes the full member list with `replace`, deletes on unlink.
 */
import { describe, expect, it } from "vitest";
import { newScimOrg } from "../support/helpers";
import { GROUP, memberValues } from "../support/group-helpers";
import { CORE, PATCH_OP } from "../support/user-helpers";

const OKTA = { "User-Agent": "Okta SCIM Client 1.0.0" };
const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe("Okta group push", () => {
  it("creates, renames, adds, removes by filter, replaces members and deletes", async () => {
    const org = await newScimOrg();
    const users: string[] = [];
    for (const name of ["o1", "o2", "o3"]) {
      const res = await org.call("POST", "/Users", { schemas: [CORE], userName: `${name}@okta.example`, externalId: `00u${name}`, password: "Secret-123", groups: [], active: true, emails: [{ primary: true, value: `${name}@okta.example`, type: "work" }] }, OKTA);
      users.push(res.body.id);
    }
    const page = await org.call("GET", "/Groups?startIndex=1&count=100", undefined, OKTA);
    expect(page.body).toMatchObject({ totalResults: 0, startIndex: 1, Resources: [] });

    const created = await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "Okta Push", members: [] }, OKTA);
    expect(created.status).toBe(201);
    expect(created.body.members).toEqual([]);
    const id = created.body.id;

    const rename = await org.call("PATCH", `/Groups/${id}`, patch({ op: "replace", value: { id, displayName: "Okta Push Renamed" } }), OKTA);
    expect(rename.status).toBe(204);

    const add = await org.call("PATCH", `/Groups/${id}`, patch({ op: "add", path: "members", value: users.map((value) => ({ value, display: "x" })) }), OKTA);
    expect(add.status).toBe(204);
    expect(await memberValues(org, id)).toEqual([...users].sort());

    const remove = await org.call("PATCH", `/Groups/${id}`, patch({ op: "remove", path: `members[value eq "${users[0]}"]` }), OKTA);
    expect(remove.status).toBe(204);
    expect(await memberValues(org, id)).toEqual([users[1], users[2]].sort());

    const push = await org.call("PATCH", `/Groups/${id}`, patch({ op: "replace", path: "members", value: [{ value: users[0] }, { value: users[2] }] }), OKTA);
    expect(push.status).toBe(204);
    expect(await memberValues(org, id)).toEqual([users[0], users[2]].sort());

    const listed = await org.call("GET", "/Groups?startIndex=1&count=100", undefined, OKTA);
    expect(listed.body.Resources).toEqual([expect.objectContaining({ id, displayName: "Okta Push Renamed", meta: expect.objectContaining({ version: 'W/"5"' }) })]);

    expect((await org.call("DELETE", `/Groups/${id}`, undefined, OKTA)).status).toBe(204);
    expect((await org.call("GET", "/Groups?startIndex=1&count=100", undefined, OKTA)).body.totalResults).toBe(0);
  });
});

/**
 * authentik's group sync (docs/idp-dialects.md): ServiceProviderConfig first; on a 409 it looks
 * the group up by displayName and adopts it; it updates with a no-path replace holding the whole group,
 * diffs members from GET /Groups/{id}, and sends per-member ops chunked by bulk.maxOperations.
 */
import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg } from "../support/helpers";
import { GROUP, memberValues } from "../support/group-helpers";
import { CORE, PATCH_OP } from "../support/user-helpers";

const patch = (...Operations: unknown[]) => ({ schemas: [PATCH_OP], Operations });

describe("authentik groups", () => {
  it("adopts on conflict, replaces the whole group, diffs members from GET and syncs them per member", async () => {
    const org = await newScimOrg();
    const spc = await org.call("GET", "/ServiceProviderConfig");
    const maxOperations: number = spc.body.bulk.maxOperations;
    expect(maxOperations).toBeGreaterThan(0);

    const users: string[] = [];
    for (let i = 0; i < 5; i++) users.push((await org.call("POST", "/Users", { schemas: [CORE], userName: `ak${i}`, active: true })).body.id);
    const existing = (await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "authentik Admins", members: [{ value: users[0] }] })).body;

    // A second provider (or a re-sync) hits the conflict, looks the group up and adopts it.
    expectScimError(await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "authentik Admins", members: [] }), 409, "uniqueness");
    const lookup = await org.call("GET", `/Groups?filter=${encodeURIComponent('displayName eq "authentik Admins"')}`);
    expect(lookup.body.Resources.map((g: { id: string }) => g.id)).toEqual([existing.id]);
    const id = existing.id;

    // The whole group in one no-path replace.
    const whole = patch({ op: "replace", value: { schemas: [GROUP], id, displayName: "authentik Admins", externalId: "ak-group-uuid", members: [{ value: users[1] }, { value: users[2] }] } });
    expect((await org.call("PATCH", `/Groups/${id}`, whole)).status).toBe(204);

    // Member diff against GET /Groups/{id}.
    const current = new Set(await memberValues(org, id));
    expect([...current].sort()).toEqual([users[1], users[2]].sort());
    const wanted = new Set([users[2], users[3], users[4]]);
    const ops = [
      ...[...wanted].filter((u) => !current.has(u)).map((u) => ({ op: "add", path: "members", value: [{ value: u }] })),
      ...[...current].filter((u) => !wanted.has(u)).map((u) => ({ op: "remove", path: "members", value: [{ value: u }] })),
    ];
    for (let i = 0; i < ops.length; i += maxOperations) {
      expect((await org.call("PATCH", `/Groups/${id}`, patch(...ops.slice(i, i + maxOperations)))).status).toBe(204);
    }
    expect(await memberValues(org, id)).toEqual([...wanted].sort());
    const final = await org.call("GET", `/Groups/${id}`);
    expect(final.body).toMatchObject({ displayName: "authentik Admins", externalId: "ak-group-uuid", meta: { version: 'W/"3"' } });
  });
});

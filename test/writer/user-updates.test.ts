/**
 * User updates handed to the OrgWriter (a PUT/PATCH that lost its optimistic race twice): the same
 * contract as a direct write — 404 for another org's or an unknown user, 412 on a stale If-Match, 409
 * for a taken userName, nothing written when refused — applied against the latest state.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { orgWriter } from "../../src/org-writer/client";
import { newScimOrg } from "../support/helpers";
import { createUser, patchBody } from "../support/user-helpers";

const title = (value: string) => ({ patch: patchBody({ op: "replace", path: "title", value }) });

describe("OrgWriter: user updates", () => {
  it("applies a PATCH against the latest state and answers the new version, with the user's groups when asked", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "w1" });
    await org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "nickName", value: "N" }));
    const group = (await org.call("POST", "/Groups", { displayName: "WG", members: [{ value: user.id }] })).body;
    const result = await orgWriter(env, org.orgId).updateUser(org.orgId, user.id, title("T"), [2], Date.now(), true);
    expect(result).toMatchObject({ ok: true, value: { user: { id: user.id, version: 3 }, groups: [{ groupId: group.id, displayName: "WG" }] } });
    const stored = (await org.call("GET", `/Users/${user.id}`)).body;
    expect(stored).toMatchObject({ title: "T", nickName: "N", meta: { version: 'W/"3"' } });
  });

  it("refuses another organization's user, a stale If-Match and a taken userName, writing nothing", async () => {
    const org = await newScimOrg();
    const other = await newScimOrg();
    const user = await createUser(org, { userName: "mine" });
    await createUser(org, { userName: "taken" });
    const foreign = await createUser(other, { userName: "theirs" });
    const writer = orgWriter(env, org.orgId);

    expect(await writer.updateUser(org.orgId, foreign.id, title("X"), undefined)).toMatchObject({ ok: false, status: 404 });
    expect(await writer.updateUser(org.orgId, user.id, title("X"), [7])).toMatchObject({ ok: false, status: 412 });
    expect(await writer.updateUser(org.orgId, user.id, { replace: { userName: "TAKEN" } }, undefined)).toMatchObject({
      ok: false,
      status: 409,
      scimType: "uniqueness",
    });
    expect((await org.call("GET", `/Users/${user.id}`)).body).toMatchObject({ userName: "mine", meta: { version: 'W/"1"' } });
    expect((await other.call("GET", `/Users/${foreign.id}`)).body).toMatchObject({ meta: { version: 'W/"1"' } });
    expect((await other.call("GET", `/Users/${foreign.id}`)).body.title).toBeUndefined();
  });
});

/**
 * A contended user: writes that keep losing their optimistic race are serialised by the org's writer
 * instead of answering 503; and an uncontended PUT/PATCH costs two round trips to D1.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { countingD1, newScimOrg, viaApp } from "../support/helpers";
import { createGroup } from "../support/group-helpers";
import { createUser, patchBody, userRows } from "../support/user-helpers";

describe("a contended user", () => {
  it("50 concurrent PATCHes of one user: 50 × 200 and every change present", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "contended", emails: [{ value: "first@x" }] });
    const writers = 50;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "add", path: "emails", value: [{ value: `w${i}@x`, type: `t${i}` }] })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(writers).fill(200));
    // Every answer is a distinct version: each write saw the one before it.
    expect(new Set(results.map((r) => r.body.meta.version)).size).toBe(writers);
    const final = await org.call("GET", `/Users/${user.id}`);
    expect(final.body.emails.map((e: { value: string }) => e.value).sort()).toEqual(
      ["first@x", ...Array.from({ length: writers }, (_, i) => `w${i}@x`)].sort(),
    );
    expect(final.body.meta.version).toBe(`W/"${1 + writers}"`);
    expect(await userRows(org.orgId)).toMatchObject({ users: 1, emails: 1 + writers });
  });

  it("concurrent PUTs and PATCHes with one If-Match: one 200, the rest 412, and only the winner's change", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "guarded-many" });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        i % 2
          ? org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "title", value: `t${i}` }), { "If-Match": 'W/"1"' })
          : org.call("PUT", `/Users/${user.id}`, { userName: "guarded-many", title: `t${i}` }, { "If-Match": 'W/"1"' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, ...Array(19).fill(412)]);
    const final = (await org.call("GET", `/Users/${user.id}`)).body;
    expect(final.meta.version).toBe('W/"2"');
    expect(final.title).toBe(results.find((r) => r.status === 200)!.body.title);
  });
});

describe("PUT and PATCH /Users round trips", () => {
  it("take two round trips to D1: the read, then the write with the user's groups", async () => {
    const counting = countingD1(env.DB);
    const org = await newScimOrg({ send: viaApp({ env: { DB: counting.d1 } }) });
    const user = await createUser(org, { userName: "trips" });
    const group = await createGroup(org, { displayName: "Trips", members: [{ value: user.id }] });
    await org.call("GET", `/Users/${user.id}`); // the token is resolved and cached

    const roundTrips = () => counting.log.statements.length - counting.log.batches.reduce((a, b) => a + b, 0) + counting.log.batches.length;
    counting.reset();
    const patched = await org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "title", value: "T" }));
    expect(patched.status).toBe(200);
    expect(patched.body.groups).toEqual([expect.objectContaining({ value: group.id, display: "Trips" })]);
    expect(roundTrips()).toBe(2);

    counting.reset();
    const put = await org.call("PUT", `/Users/${user.id}`, { userName: "trips", title: "U" });
    expect(put.status).toBe(200);
    expect(put.body.groups).toEqual([expect.objectContaining({ value: group.id })]);
    expect(roundTrips()).toBe(2);

    // A PATCH that changes nothing: the read and the groups read.
    counting.reset();
    const same = await org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "title", value: "U" }));
    expect(same.status).toBe(200);
    expect(same.body.meta.version).toBe(put.body.meta.version);
    expect(same.body.groups).toHaveLength(1);
    expect(roundTrips()).toBe(2);

    // Without groups in the response, no groups are read.
    counting.reset();
    const bare = await org.call("PATCH", `/Users/${user.id}?excludedAttributes=groups`, patchBody({ op: "replace", path: "title", value: "V" }));
    expect(bare.status).toBe(200);
    expect(bare.body.groups).toBeUndefined();
    expect(counting.log.statements.some((s) => /group_members/.test(s))).toBe(false);
  });

});

import { describe, expect, it } from "vitest";
import { newScimOrg } from "../support/helpers";
import { createUser, patchBody, userRows } from "../support/user-helpers";

describe("racing writes", () => {
  it("20 identical creates give one 201 and nineteen 409 uniqueness", async () => {
    const org = await newScimOrg();
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        org.call("POST", "/Users", { userName: i % 2 ? "Racer@Example.com" : "racer@example.COM", emails: [{ value: `r${i}@x` }] }),
      ),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses).toEqual([201, ...Array(19).fill(409)]);
    for (const r of results.filter((r) => r.status === 409)) expect(r.body.scimType).toBe("uniqueness");
    expect(await userRows(org.orgId)).toMatchObject({ users: 1, emails: 1 });
  });

  it("concurrent PATCHes of one user never lose an update", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "busy", emails: [{ value: "first@x" }] });
    const writers = 10;
    const results = await Promise.all(
      Array.from({ length: writers }, (_, i) =>
        org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "add", path: "emails", value: [{ value: `w${i}@x`, type: `t${i}` }] })),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(writers).fill(200));
    const final = await org.call("GET", `/Users/${user.id}`);
    expect(final.body.emails.map((e: { value: string }) => e.value).sort()).toEqual(
      ["first@x", ...Array.from({ length: writers }, (_, i) => `w${i}@x`)].sort(),
    );
    expect(final.body.meta.version).toBe(`W/"${1 + writers}"`);
    // The email rows were rewritten with each write and match the final resource.
    expect(await userRows(org.orgId)).toMatchObject({ users: 1, emails: 1 + writers });
    const byEmail = await org.call("GET", `/Users?filter=${encodeURIComponent('emails[type eq "t7" and value eq "w7@x"]')}`);
    expect(byEmail.body.totalResults).toBe(1);
  });

  it("concurrent PUT and PATCHes of different attributes all land, in some order", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "mixed" });
    const results = await Promise.all([
      org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "title", value: "T" })),
      org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "nickName", value: "N" })),
      org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "displayName", value: "D" })),
      org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "active", value: false })),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const final = (await org.call("GET", `/Users/${user.id}`)).body;
    expect(final).toMatchObject({ title: "T", nickName: "N", displayName: "D", active: false, meta: { version: 'W/"5"' } });
  });

  it("with the same If-Match, exactly one of several concurrent writes wins; the others get 412", async () => {
    const org = await newScimOrg();
    const user = await createUser(org, { userName: "guarded" });
    const results = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "title", value: `t${i}` }), { "If-Match": 'W/"1"' }),
      ),
    );
    expect(results.map((r) => r.status).sort()).toEqual([200, 412, 412, 412, 412]);
    const winner = results.find((r) => r.status === 200)!;
    expect((await org.call("GET", `/Users/${user.id}`)).body.title).toBe(winner.body.title);
  });
});

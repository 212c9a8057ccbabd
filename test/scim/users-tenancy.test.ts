import { describe, expect, it } from "vitest";
import { expectScimError, newScimOrg } from "../support/helpers";
import { createUser, filterQuery, patchBody, userRows } from "../support/user-helpers";

describe("tenant isolation", () => {
  it("lets org B reuse org A's userName and email", async () => {
    const a = await newScimOrg();
    const b = await newScimOrg();
    const inA = await createUser(a, { userName: "same@example.com", emails: [{ value: "same@example.com" }] });
    const inB = await createUser(b, { userName: "SAME@example.com", emails: [{ value: "same@example.com" }] });
    expect(inB.id).not.toBe(inA.id);
  });

  it("answers org B's token on org A's ids exactly like unknown ids, and changes nothing", async () => {
    const a = await newScimOrg();
    const b = await newScimOrg();
    const user = await createUser(a, { userName: "private", title: "secret" });
    const before = await userRows(a.orgId);
    const unknown = await b.call("GET", "/Users/00000000-0000-0000-0000-000000000000");
    for (const [method, body] of [["GET"], ["PUT", { userName: "stolen" }], ["PATCH", patchBody({ op: "replace", path: "title", value: "x" })], ["DELETE"]] as const) {
      const res = await b.call(method, `/Users/${user.id}`, body);
      expectScimError(res, 404);
      expect(res.body.detail.replace(user.id, "ID")).toBe(unknown.body.detail.replace("00000000-0000-0000-0000-000000000000", "ID"));
    }
    expect(await userRows(a.orgId)).toEqual(before);
    expect((await a.call("GET", `/Users/${user.id}`)).body.title).toBe("secret");
  });

  it("never lists another org's users, whatever the filter", async () => {
    const a = await newScimOrg();
    const b = await newScimOrg();
    await createUser(a, { userName: "a-user", emails: [{ value: "shared@example.com", type: "work" }] });
    const own = await createUser(b, { userName: "b-user" });
    for (const path of [
      "/Users",
      filterQuery('userName eq "a-user"'),
      filterQuery('emails.value eq "shared@example.com"'),
      filterQuery('emails[type eq "work"]'),
      filterQuery("emails pr or userName pr"),
      filterQuery('not (userName eq "nobody")'),
    ]) {
      const res = await b.call("GET", path);
      expect(res.status, path).toBe(200);
      expect(res.body.Resources.map((r: { id: string }) => r.id), path).toEqual(path === "/Users" || path.includes("pr") || path.includes("not") ? [own.id] : []);
    }
    const search = await b.call("POST", "/Users/.search", { filter: 'emails.value eq "shared@example.com"' });
    expect(search.body.totalResults).toBe(0);
  });

  it("lets two users of one org share an email (emails are not unique)", async () => {
    const org = await newScimOrg();
    const one = await createUser(org, { userName: "one", emails: [{ value: "team@example.com", type: "work" }] });
    const two = await createUser(org, { userName: "two", emails: [{ value: "TEAM@example.com", primary: true }] });
    const res = await org.call("GET", filterQuery('emails.value eq "team@example.com"'));
    expect(res.body.Resources.map((r: { id: string }) => r.id).sort()).toEqual([one.id, two.id].sort());
  });
});

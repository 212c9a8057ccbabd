// Finding 5 of issue 16: userNames that look the same in the console are the same userName. The
// uniqueness key follows the mappings of PRECIS UsernameCaseMapped (RFC 8265): width mapping, case
// mapping, NFC, without default-ignorable code points, per space-separated part, no leading or
// trailing space. The userName itself is stored and returned as sent.
import { describe, expect, it } from "vitest";
import { userNameKey } from "../../src/scim/text";
import { expectScimError, newScimOrg } from "../support/helpers";

const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";
const user = (userName: string) => ({ schemas: [CORE_USER], userName });

const LOOKALIKES_OF_BOB = [
  "bob\u200B", // zero-width space
  "bob\u00A0", // non-breaking space
  "b\u00ADob", // soft hyphen
  "\uFF42\uFF4F\uFF42", // fullwidth letters
  "bob ", // trailing space
  " bob", // leading space
  "BOB",
  "Bo\u2060b", // word joiner
  "\uFEFFbob", // byte order mark
  "\uFF22\uFF2F\uFF22\u3000", // fullwidth capitals and an ideographic space
];

describe("userName uniqueness by its PRECIS key", () => {
  it("refuses a look-alike of a taken userName with 409 uniqueness", async () => {
    const org = await newScimOrg();
    expect((await org.call("POST", "/Users", user("bob"))).status).toBe(201);
    for (const name of LOOKALIKES_OF_BOB) {
      const res = await org.call("POST", "/Users", user(name));
      expectScimError(res, 409, "uniqueness");
    }
    expect((await org.call("GET", "/Users")).body.totalResults).toBe(1);
  });

  it("applies the mappings per space-separated part", async () => {
    const org = await newScimOrg();
    expect((await org.call("POST", "/Users", user("Ann Lee"))).status).toBe(201);
    for (const name of ["ann  lee", "ann\u00A0lee", "ann\u3000LEE", " Ann Lee ", "ann \u200Blee"]) {
      expectScimError(await org.call("POST", "/Users", user(name)), 409, "uniqueness");
    }
    expect((await org.call("POST", "/Users", user("annlee"))).status).toBe(201);
  });

  it("keeps different names apart and stores the userName as sent", async () => {
    const org = await newScimOrg();
    for (const name of ["bob", "b\u00F3b", "b0b", "bob2", "\uFF42\uFF4F\uFF42\uFF13"]) {
      const res = await org.call("POST", "/Users", user(name));
      expect(res.status, name).toBe(201);
      expect(res.body.userName).toBe(name);
      expect((await org.call("GET", `/Users/${res.body.id}`)).body.userName).toBe(name);
    }
  });

  it("accepts names PRECIS would reject, keyed by the same mappings", async () => {
    const org = await newScimOrg();
    expect((await org.call("POST", "/Users", user("bob\u2603"))).status).toBe(201); // a symbol
    expectScimError(await org.call("POST", "/Users", user("\uFF42\uFF4F\uFF42\u2603")), 409, "uniqueness");
  });

  it("refuses renaming a user to a look-alike of another, and keeps a rename to its own look-alike", async () => {
    const org = await newScimOrg();
    await org.call("POST", "/Users", user("carol"));
    const dave = (await org.call("POST", "/Users", user("dave"))).body;
    expectScimError(await org.call("PUT", `/Users/${dave.id}`, user("Carol\u200B")), 409, "uniqueness");
    const renamed = await org.call("PUT", `/Users/${dave.id}`, user("DAVE"));
    expect(renamed.status).toBe(200);
    expect(renamed.body.userName).toBe("DAVE");
  });

  it("computes the key as RFC 8265 maps it", () => {
    expect(userNameKey("\uFF21\uFF4C\uFF49\uFF43\uFF45")).toBe("alice");
    expect(userNameKey("  Ann\u00A0\u00A0Lee\u200B ")).toBe("ann lee");
    expect(userNameKey("E\u0301MILE")).toBe("\u00E9mile"); // NFC after case mapping
    expect(userNameKey("\uFF76\uFF9E")).toBe("\u30AC"); // halfwidth katakana + voiced mark → ガ
    expect(userNameKey("\u200B")).toBe("");
  });
});

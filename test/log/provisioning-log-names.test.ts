// Issue 17: the provisioning log shows the user or group a request addressed by its name
// (userName / displayName), resolved with one query for the whole page, never one per entry; a
// resource deleted since shows its id only (name null).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, countingD1, newScimOrg, viaApp } from "../support/helpers";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

describe("provisioning log: user and group names", () => {
  it("names the users and groups in the page's paths in one query, and leaves deleted ones unnamed", async () => {
    const counting = countingD1(env.DB);
    const send = viaApp({ env: { DB: counting.d1 } });
    const org = await newScimOrg({ send });
    const alice = (await org.call("POST", "/Users", { schemas: [CORE], userName: "alice@globex.example" })).body;
    const bob = (await org.call("POST", "/Users", { schemas: [CORE], userName: "bob@globex.example" })).body;
    const group = (await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "Engineering" })).body;
    await org.call("GET", `/Users/${alice.id}`);
    await org.call("PATCH", `/Groups/${group.id}`, { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: alice.id }] }] });
    await org.call("DELETE", `/Users/${bob.id}`);
    await org.call("GET", "/Users/no-such-user");
    // Another org's user, addressed with this org's token, is not this org's to name.
    const other = await newScimOrg({ send });
    const stranger = (await other.call("POST", "/Users", { schemas: [CORE], userName: "stranger@initech.example" })).body;
    await org.call("GET", `/Users/${stranger.id}`);

    counting.reset();
    const log = await admin("GET", `/orgs/${org.orgId}/scim/log`, undefined, send);
    expect(log.status).toBe(200);
    const named = log.body.entries.map((e: any) => [e.method, e.path, e.resource]);
    expect(named).toEqual([
      ["GET", `/scim/v2/Users/${stranger.id}`, { type: "User", id: stranger.id, name: null }],
      ["GET", "/scim/v2/Users/no-such-user", { type: "User", id: "no-such-user", name: null }],
      ["DELETE", `/scim/v2/Users/${bob.id}`, { type: "User", id: bob.id, name: null }],
      ["PATCH", `/scim/v2/Groups/${group.id}`, { type: "Group", id: group.id, name: "Engineering" }],
      ["GET", `/scim/v2/Users/${alice.id}`, { type: "User", id: alice.id, name: "alice@globex.example" }],
      ["POST", "/scim/v2/Groups", null],
      ["POST", "/scim/v2/Users", null],
      ["POST", "/scim/v2/Users", null],
    ]);
    // The page, then one statement for every name on it.
    const nameQueries = counting.log.statements.filter((s) => /json_each/.test(s) && /\bFROM users\b/.test(s));
    expect(nameQueries).toHaveLength(1);
    expect(nameQueries[0]).toMatch(/\bFROM groups\b/);
  });

  it("makes no name query for a page without user or group ids", async () => {
    const counting = countingD1(env.DB);
    const send = viaApp({ env: { DB: counting.d1 } });
    const org = await newScimOrg({ send });
    await org.call("GET", "/Users");
    await org.call("GET", "/ServiceProviderConfig");
    counting.reset();
    const log = await admin("GET", `/orgs/${org.orgId}/scim/log`, undefined, send);
    expect(log.body.entries.map((e: any) => e.resource)).toEqual([null, null]);
    expect(counting.log.statements.filter((s) => /json_each/.test(s))).toEqual([]);
  });
});

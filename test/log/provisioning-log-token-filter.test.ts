// The provisioning log filtered to one token (?token=<id>), as the console links to it.
import { describe, expect, it } from "vitest";
import { admin, newScimOrg, scimClient, viaApp } from "../support/helpers";

// viaApp waits for ctx.waitUntil, so an entry is in D1 when the call returns.
const send = viaApp();

describe("provisioning log: the token filter", () => {
  it("lists only the requests made with that token, combined with the status filter, and nothing of another org", async () => {
    const org = await newScimOrg({ send });
    const minted = await admin("POST", `/orgs/${org.orgId}/scim/tokens`, { description: "JumpCloud", ttlDays: 30 }, send);
    const jumpcloud = scimClient(org.orgId, minted.body.token, minted.body.id, minted.body.scimUrl, send);
    await org.call("GET", "/Users");
    await jumpcloud.call("GET", "/Users");
    await jumpcloud.call("GET", "/Users/nope");
    const other = await newScimOrg({ send });
    await other.call("GET", "/Users");

    const log = async (query: string) => (await admin("GET", `/orgs/${org.orgId}/scim/log${query}`, undefined, send)).body;
    const mine = await log(`?token=${minted.body.id}`);
    expect(mine.entries.map((e: any) => [e.path, e.status, e.tokenDescription])).toEqual([
      ["/scim/v2/Users/nope", 404, "JumpCloud"],
      ["/scim/v2/Users", 200, "JumpCloud"],
    ]);
    expect((await log(`?token=${minted.body.id}&status=4xx`)).entries.map((e: any) => e.status)).toEqual([404]);
    expect((await log(`?token=${org.tokenId}`)).entries).toHaveLength(1);
    expect((await log(`?token=${other.tokenId}`)).entries).toEqual([]);
    expect((await log("?token=")).entries).toHaveLength(3);
    expect((await admin("GET", `/orgs/${org.orgId}/scim/log?token=${"x".repeat(201)}`, undefined, send)).status).toBe(400);
  });
});

import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { complete, linkToken, myKeys, orgWithUsers, rowCount, sessionCookie, testBundle } from "./setup-support";

describe("setup: completing with a link", () => {
  it("stores the bundle, marks setup complete and starts a session", async () => {
    const { orgId, userIds: [userId] } = await orgWithUsers();
    const token = await linkToken(orgId, userId);
    const bundle = await testBundle();
    const res = await complete(token, bundle);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const keys = await myKeys(sessionCookie(res.headers));
    expect(keys.status).toBe(200);
    expect(keys.body).toMatchObject(bundle);
    expect(await rowCount("user_keys", "user_id = ?", userId)).toBe(1);
  });
});

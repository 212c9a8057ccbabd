// Issue 16, tokens: rotating a SCIM token mints its successor (shown once, same description and
// lifetime) while the old one keeps working for a grace period, then is refused.
import { describe, expect, it } from "vitest";
import { admin, manualClock, newScimOrg, scimClient, viaApp, type ScimClient } from "../support/helpers";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

function setup() {
  const time = manualClock(Date.UTC(2026, 5, 1));
  const send = viaApp({ clock: time.clock });
  return { time, send };
}

const rotate = (org: ScimClient, tokenId: string, body: unknown, send: ReturnType<typeof viaApp>) =>
  admin("POST", `/orgs/${org.orgId}/scim/tokens/${tokenId}/rotate`, body, send);

const works = async (org: ScimClient) => (await org.call("GET", "/Users")).status;

describe("POST /orgs/{orgId}/scim/tokens/{tokenId}/rotate", () => {
  it("answers 201 with a new token of the same description and lifetime; the old one works for the grace period only", async () => {
    const { time, send } = setup();
    const org = await newScimOrg({ send }); // a 30-day token named "test"
    const before = (await admin("GET", `/orgs/${org.orgId}/scim/tokens`, undefined, send)).body.tokens[0];
    time.advance(5 * DAY);
    expect(await works(org)).toBe(200); // the token's cache entry now holds its old expiry

    const rotated = await rotate(org, org.tokenId, { graceHours: 24 }, send);
    expect(rotated.status).toBe(201);
    expect(rotated.headers.get("Cache-Control")).toBe("no-store");
    expect(rotated.body).toMatchObject({ description: "test", scimUrl: org.scimUrl, rotatedFrom: org.tokenId });
    expect(rotated.body.token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);
    expect(rotated.body.id).not.toBe(org.tokenId);
    expect(Date.parse(rotated.body.expiresAt) - Date.parse(rotated.body.createdAt)).toBe(
      Date.parse(before.expiresAt) - Date.parse(before.createdAt),
    );
    expect(rotated.body.previousTokenExpiresAt).toBe(new Date(time.clock() + 24 * HOUR).toISOString());

    const successor = scimClient(org.orgId, rotated.body.token, rotated.body.id, org.scimUrl, send);
    expect(await works(successor)).toBe(200);
    expect(await works(org)).toBe(200);
    time.advance(24 * HOUR - 1000);
    expect(await works(org)).toBe(200);
    time.advance(1000);
    expect(await works(org)).toBe(401);
    expect(await works(successor)).toBe(200);

    const list = (await admin("GET", `/orgs/${org.orgId}/scim/tokens`, undefined, send)).body.tokens;
    const old = list.find((t: any) => t.id === org.tokenId);
    expect(old).toMatchObject({ replacedBy: rotated.body.id, rotatedAt: expect.any(String) });
    expect(list.find((t: any) => t.id === rotated.body.id)).toMatchObject({ description: "test", replacedBy: null });
    // The plaintext appears only in the rotation's answer.
    expect(JSON.stringify(list)).not.toContain(rotated.body.token);
  });

  it("with graceHours 0 refuses the old token at once", async () => {
    const { send } = setup();
    const org = await newScimOrg({ send });
    expect(await works(org)).toBe(200); // cached now
    const rotated = await rotate(org, org.tokenId, { graceHours: 0 }, send);
    expect(rotated.status).toBe(201);
    expect(await works(org)).toBe(401);
    expect(await works(scimClient(org.orgId, rotated.body.token, rotated.body.id, org.scimUrl, send))).toBe(200);
  });

  it("keeps a token that never expires never expiring", async () => {
    const { send } = setup();
    const org = await newScimOrg({ send });
    const forever = await admin("POST", `/orgs/${org.orgId}/scim/tokens`, { description: "Okta", ttlDays: 0 }, send);
    const rotated = await rotate(org, forever.body.id, { graceHours: 168 }, send);
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({ description: "Okta", expiresAt: null });
  });

  it("refuses bad grace periods and tokens that cannot be rotated, changing nothing", async () => {
    const { send, time } = setup();
    const org = await newScimOrg({ send });
    const other = await newScimOrg({ send });
    const count = async () => (await admin("GET", `/orgs/${org.orgId}/scim/tokens`, undefined, send)).body.tokens.length;

    for (const body of [{}, { graceHours: -1 }, { graceHours: 169 }, { graceHours: 1.5 }, { graceHours: "24" }, { graceHours: 1, extra: true }]) {
      const res = await rotate(org, org.tokenId, body, send);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field).toBe(Object.keys(body).includes("extra") ? "extra" : "graceHours");
    }
    expect((await rotate(org, crypto.randomUUID(), { graceHours: 1 }, send)).status).toBe(404);
    expect((await rotate(org, other.tokenId, { graceHours: 1 }, send)).status).toBe(404);
    expect((await admin("POST", `/orgs/${crypto.randomUUID()}/scim/tokens/${org.tokenId}/rotate`, { graceHours: 1 }, send)).status).toBe(404);

    const rotated = await rotate(org, org.tokenId, { graceHours: 1 }, send);
    expect(rotated.status).toBe(201);
    const again = await rotate(org, org.tokenId, { graceHours: 1 }, send);
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe("token_rotated");

    expect((await admin("DELETE", `/orgs/${org.orgId}/scim/tokens/${rotated.body.id}`, undefined, send)).status).toBe(204);
    const revoked = await rotate(org, rotated.body.id, { graceHours: 1 }, send);
    expect(revoked.status).toBe(409);
    expect(revoked.body.error.code).toBe("token_revoked");

    const short = await admin("POST", `/orgs/${org.orgId}/scim/tokens`, { description: "short", ttlDays: 1 }, send);
    time.advance(2 * 86_400_000);
    const expired = await rotate(org, short.body.id, { graceHours: 1 }, send);
    expect(expired.status).toBe(409);
    expect(expired.body.error.code).toBe("token_expired");
    expect(await count()).toBe(3);
  });

  it("a grace period never outlasts the token's own expiry", async () => {
    const { send, time } = setup();
    const org = await newScimOrg({ send });
    const short = await admin("POST", `/orgs/${org.orgId}/scim/tokens`, { description: "short", ttlDays: 1 }, send);
    time.advance(23 * HOUR);
    const rotated = await rotate(org, short.body.id, { graceHours: 48 }, send);
    expect(rotated.status).toBe(201);
    expect(rotated.body.previousTokenExpiresAt).toBe(short.body.expiresAt);
  });
});

// Issue 16, tokens: a live token that expires within 14 days is flagged in the token list, on the
// organizations list (what the console's organizations page shows) and in GET /counters.
import { describe, expect, it } from "vitest";
import { admin, manualClock, viaApp } from "../support/helpers";

const DAY = 86_400_000;

describe("tokens expiring within 14 days", () => {
  it("are flagged in the token list, the organizations list and the counters", async () => {
    const time = manualClock(Date.UTC(2030, 0, 1));
    const send = viaApp({ clock: time.clock });
    const org = (await admin("POST", "/orgs", { name: "Expiry" }, send)).body;
    const mint = async (description: string, ttlDays: number) =>
      (await admin("POST", `/orgs/${org.id}/scim/tokens`, { description, ttlDays }, send)).body;
    const soon = await mint("soon", 10);
    const later = await mint("later", 30);
    const never = await mint("never", 0);
    const revoked = await mint("revoked", 5);
    await admin("DELETE", `/orgs/${org.id}/scim/tokens/${revoked.id}`, undefined, send);
    const rotated = await mint("rotated", 7);
    await admin("POST", `/orgs/${org.id}/scim/tokens/${rotated.id}/rotate`, { graceHours: 1 }, send);

    const flags = async () => {
      const { tokens } = (await admin("GET", `/orgs/${org.id}/scim/tokens`, undefined, send)).body;
      return Object.fromEntries(tokens.map((t: any) => [t.description + (t.id === rotated.id ? " (old)" : ""), t.expiringSoon]));
    };
    const orgCount = async () =>
      (await admin("GET", "/orgs", undefined, send)).body.orgs.find((o: any) => o.id === org.id).tokensExpiringSoon;
    const counter = async () => {
      const body = (await admin("GET", "/counters", undefined, send)).body;
      return {
        value: body.counters.find((c: any) => c.name === "scim.tokens_expiring_soon")?.value,
        ours: body.tokensExpiringSoon.filter((t: any) => t.orgId === org.id).map((t: any) => t.description).sort(),
      };
    };

    // The rotated token's successor (7-day lifetime) is live and expires within 14 days; its
    // predecessor is replaced, so nothing is to be done about it.
    expect(await flags()).toEqual({ soon: true, later: false, never: false, revoked: false, "rotated (old)": false, rotated: true });
    expect(await orgCount()).toBe(2);
    const first = await counter();
    expect(first.ours).toEqual(["rotated", "soon"]);
    expect(first.value).toBeGreaterThanOrEqual(2);

    time.advance(17 * DAY); // "soon" and the successor have expired; "later" has 13 days left
    expect(await flags()).toEqual({ soon: false, later: true, never: false, revoked: false, "rotated (old)": false, rotated: false });
    expect(await orgCount()).toBe(1);
    expect((await counter()).ours).toEqual(["later"]);
    const single = (await admin("GET", `/orgs/${org.id}`, undefined, send)).body;
    expect(single.tokensExpiringSoon).toBe(1);
  });
});

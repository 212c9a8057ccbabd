// Finding 1 of issue 16: a setup link is a live credential, so its origin never comes from the
// request. Without PUBLIC_ORIGIN no link is minted or sent, on any host.
import { afterEach, describe, expect, it, vi } from "vitest";
import { addressedTo, admin, newScimOrg, scimClient, viaApp, type Fetch } from "../support/helpers";
import { orgWithUsers, provision, rowCount } from "../support/setup-helpers";

const WEBHOOK = { SETUP_WEBHOOK_URL: "https://hooks.example.com/setup", SETUP_WEBHOOK_SECRET: "whsec-test-0123456789" };

function captureFetch() {
  const sent: Request[] = [];
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input, init) => {
    sent.push(new Request(input as RequestInfo, init));
    return new Response("ok");
  });
  return sent;
}

const issue = (orgId: string, userId: string, send: Fetch) => admin("POST", `/orgs/${orgId}/users/${userId}/setup-link`, undefined, send);

describe("setup links and the Host header", () => {
  afterEach(() => vi.restoreAllMocks());

  it("are never minted on a request-derived origin: a foreign host gets 421, a loopback one 503", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sent = captureFetch();
    const { orgId, userIds: [userId] } = await orgWithUsers();
    for (const [origin, status] of [
      ["https://attacker.example", 421],
      ["http://127.0.0.1:8787", 503],
    ] as const) {
      const res = await issue(orgId, userId, addressedTo(origin, { PUBLIC_ORIGIN: "", ...WEBHOOK }));
      expect(res.status).toBe(status);
      expect(res.body.error.code).toBe("public_origin_required");
      expect(res.body.error.message).toMatch(/PUBLIC_ORIGIN/);
      expect(JSON.stringify(res.body)).not.toMatch(/setup#token|setup_[A-Za-z0-9_-]{10}/);
    }
    expect(await rowCount("setup_links", "user_id = ?", userId)).toBe(0);
    expect(sent).toHaveLength(0);
    expect(warnings.mock.calls.flat().join(" ")).toMatch(/PUBLIC_ORIGIN/);
  });

  it("a SCIM create on a loopback host without PUBLIC_ORIGIN sends no link to the webhook", async () => {
    const warnings = vi.spyOn(console, "warn").mockImplementation(() => {});
    const sent = captureFetch();
    const org = await newScimOrg({ send: addressedTo("http://127.0.0.1:8787", { PUBLIC_ORIGIN: "", ...WEBHOOK }) });
    const userId = await provision(org, "loopback@example.com");
    expect(sent).toHaveLength(0);
    expect(await rowCount("setup_links", "user_id = ?", userId)).toBe(0);
    expect(warnings.mock.calls.flat().join(" ")).toMatch(/PUBLIC_ORIGIN/);
  });

  it("with PUBLIC_ORIGIN set, the webhook's signed link points there whatever the Host", async () => {
    const sent = captureFetch();
    const trusted = await newScimOrg({ send: viaApp({ env: { PUBLIC_ORIGIN: "https://id.example.com" } }) });
    const attacker = scimClient(
      trusted.orgId,
      trusted.token,
      trusted.tokenId,
      trusted.scimUrl,
      addressedTo("https://attacker.example", { PUBLIC_ORIGIN: "https://id.example.com", ...WEBHOOK }),
    );
    await provision(attacker, "victim@example.com");
    expect(sent).toHaveLength(1);
    const payload = JSON.parse(await sent[0].text());
    expect(payload.url).toMatch(/^https:\/\/id\.example\.com\/setup#token=setup_/);
  });
});

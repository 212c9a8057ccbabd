/**
 * The round-trip budget of issue 12, pinned per SCIM operation: what sits on the critical path before
 * the response (D1 round trips to the primary, D1 round trips a replica may serve, KV reads, Cache API
 * reads and writes, calls into the OrgWriter and the OrgWriter's own D1 round trips). Work done after
 * the response (provisioning log, token lastUsedAt, token cache fill) is not on it.
 *
 * Distance makes every hop cost: with the primary 80 ms away, each primary round trip or writer call
 * is 80 ms on the identity provider's clock. A change that adds one fails here.
 */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Topology } from "../../bench/topology";
import { newScimOrg, type ScimClient } from "../support/helpers";
import { memoryBookmarks, roundTripMeter, zeroRoundTrips, type Meter, type RoundTrips } from "../support/round-trips";
import { CORE, PATCH_OP } from "../support/user-helpers";

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const q = (filter: string) => encodeURIComponent(filter);
const hops = (counts: Partial<RoundTrips>): RoundTrips => ({ ...zeroRoundTrips(), ...counts });

interface Fixture {
  meter: Meter;
  org: ScimClient;
  userId: string;
  userName: string;
  groupId: string;
}

let made = 0;

/** An org with a user in a group, its token cached in KV, its writer metered. */
async function fixture(meter: Meter): Promise<Fixture> {
  const org = await newScimOrg({ send: meter.send });
  await meter.meterWriter(org.orgId);
  const userName = `rt${++made}@example.com`;
  const user = await org.call("POST", "/Users", { schemas: [CORE], userName, name: { givenName: "R", familyName: "T" } });
  expect(user.status).toBe(201);
  const group = await org.call("POST", "/Groups", { schemas: [GROUP], displayName: `Group ${made}`, members: [{ value: user.body.id }] });
  expect(group.status).toBe(201);
  return { meter, org, userId: user.body.id, userName, groupId: group.body.id };
}

/** Runs one SCIM call and returns its critical-path counts, checking it answered `status`. */
async function hopsOf(f: Fixture, status: number, method: string, path: string, body?: unknown) {
  const { critical } = await f.meter.measure(async () => {
    const res = await f.org.call(method, path, body);
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
  });
  return critical;
}

/** Every operation of the issue's table, in an order where each leaves what the next needs. */
async function budgetOf(f: Fixture): Promise<Record<string, RoundTrips>> {
  const r: Record<string, RoundTrips> = {};
  r["create-user"] = await hopsOf(f, 201, "POST", "/Users", { schemas: [CORE], userName: `new-${f.userName}` });
  r["get-user"] = await hopsOf(f, 200, "GET", `/Users/${f.userId}`);
  r["lookup-user"] = await hopsOf(f, 200, "GET", `/Users?filter=${q(`userName eq "${f.userName}"`)}`);
  r["lookup-absent-user"] = await hopsOf(f, 200, "GET", `/Users?filter=${q('userName eq "nobody@example.com"')}`);
  r["list-users"] = await hopsOf(f, 200, "GET", "/Users?startIndex=1&count=10");
  r["search-users"] = await hopsOf(f, 200, "POST", "/Users/.search", { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], count: 10 });
  r["get-absent-user"] = await hopsOf(f, 404, "GET", "/Users/no-such-user");
  r["put-user"] = await hopsOf(f, 200, "PUT", `/Users/${f.userId}`, { schemas: [CORE], userName: f.userName, displayName: "Put" });
  r["patch-user"] = await hopsOf(f, 200, "PATCH", `/Users/${f.userId}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "Patched" }] });
  r["get-group"] = await hopsOf(f, 200, "GET", `/Groups/${f.groupId}`);
  r["list-groups"] = await hopsOf(f, 200, "GET", "/Groups?startIndex=1&count=10");
  r["create-group"] = await hopsOf(f, 201, "POST", "/Groups", { schemas: [GROUP], displayName: `Empty ${f.userName}` });
  r["create-group-with-members"] = await hopsOf(f, 201, "POST", "/Groups", { schemas: [GROUP], displayName: `Full ${f.userName}`, members: [{ value: f.userId }] });
  const member = await f.org.call("POST", "/Users", { schemas: [CORE], userName: `member-${f.userName}` });
  r["patch-group-member"] = await hopsOf(f, 204, "PATCH", `/Groups/${f.groupId}`, { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: member.body.id }] }] });
  r["put-group"] = await hopsOf(f, 200, "PUT", `/Groups/${f.groupId}`, { schemas: [GROUP], displayName: `Group renamed ${f.userName}`, members: [{ value: f.userId }] });
  r["delete-user"] = await hopsOf(f, 204, "DELETE", `/Users/${member.body.id}`);
  r["delete-group"] = await hopsOf(f, 204, "DELETE", `/Groups/${f.groupId}`);
  return r;
}

describe("the round-trip budget, without read replication (local dev, replication off)", () => {
  it("reads are one D1 round trip to the primary, plus the token's KV read", async () => {
    const r = await budgetOf(await fixture(roundTripMeter()));
    const oneRead = hops({ primary: 1, kv: 1 });
    for (const op of ["get-user", "lookup-user", "lookup-absent-user", "list-users", "search-users", "get-absent-user", "get-group", "list-groups"]) {
      expect(r[op], op).toEqual(oneRead);
    }
    expect(r["create-user"]).toEqual(hops({ primary: 1, kv: 1 }));
  });

  it("PUT and PATCH /Users: two primary round trips (the read, then the write batch that also reads the groups)", async () => {
    const r = await budgetOf(await fixture(roundTripMeter()));
    expect(r["put-user"]).toEqual(hops({ primary: 2, kv: 1 }));
    expect(r["patch-user"]).toEqual(hops({ primary: 2, kv: 1 }));
  });

  it("group writes and DELETE /Users: one call into the OrgWriter, which makes at most two D1 round trips", async () => {
    const r = await budgetOf(await fixture(roundTripMeter()));
    // POST and PUT with members answer with them: the writer reads them at the end of the write's own
    // batch, so nothing is read after its call.
    for (const op of ["create-group", "create-group-with-members", "patch-group-member", "put-group", "delete-user", "delete-group"]) {
      expect(r[op].writer, op).toBe(1);
      expect(r[op].writerDb, op).toBeLessThanOrEqual(2);
      expect({ ...r[op], writerDb: 0 }, op).toEqual(hops({ kv: 1, writer: 1 }));
    }
  });
});

describe("the round-trip budget with read replication on (a simulated replica, bench/topology.ts)", () => {
  const replicated = (bookmarks = memoryBookmarks()) =>
    roundTripMeter({ topology: new Topology(env.DB, env.REPLICA_DB, { lagMs: "manual" }), bookmarks });

  it("a read is one replica round trip after a Cache API read of the org's bookmark; a write stores it", async () => {
    const r = await budgetOf(await fixture(replicated()));
    for (const op of ["get-user", "lookup-user", "list-users", "search-users", "get-group", "list-groups"]) {
      expect(r[op], op).toEqual(hops({ replica: 1, cache: 1, kv: 1 }));
    }
    expect(r["create-user"]).toEqual(hops({ primary: 1, cache: 1, kv: 1 }));
    expect(r["put-user"]).toEqual(hops({ primary: 2, cache: 1, kv: 1 }));
    expect(r["patch-user"]).toEqual(hops({ primary: 2, cache: 1, kv: 1 }));
    for (const op of ["create-group", "create-group-with-members", "patch-group-member", "put-group", "delete-user", "delete-group"]) {
      expect({ ...r[op], writerDb: 0 }, op).toEqual(hops({ kv: 1, cache: 1, writer: 1 }));
      expect(r[op].writerDb, op).toBeLessThanOrEqual(2);
    }
  });

  it("a lookup that finds nobody on the replica is confirmed with one primary round trip", async () => {
    const r = await budgetOf(await fixture(replicated()));
    expect(r["lookup-absent-user"]).toEqual(hops({ replica: 1, primary: 1, cache: 1, kv: 1 }));
    expect(r["get-absent-user"]).toEqual(hops({ replica: 1, primary: 1, cache: 1, kv: 1 }));
  });

  it("with no bookmark found, a read is one round trip to the primary and none to a replica", async () => {
    const r = await budgetOf(await fixture(replicated(memoryBookmarks({ alwaysMiss: true }))));
    for (const op of ["get-user", "lookup-user", "lookup-absent-user", "get-absent-user", "list-users", "get-group", "list-groups"]) {
      expect(r[op], op).toEqual(hops({ primary: 1, cache: 1, kv: 1 }));
    }
  });
});

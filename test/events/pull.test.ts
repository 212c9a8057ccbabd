/** The pull API: GET /api/v1/orgs/{orgId}/events — sequence order, cursors, type filter, retention. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { database } from "../../src/db/client";
import { runMaintenance } from "../../src/scheduled";
import { admin, newScimOrg, request, viaWorker, type ScimClient } from "../support/helpers";
import { CORE, patchBody } from "../support/user-helpers";

const DAY = 24 * 60 * 60 * 1000;

async function pull(orgId: string, query = "") {
  return admin("GET", `/orgs/${orgId}/events${query ? `?${query}` : ""}`);
}

async function users(org: ScimClient, n: number, prefix = "u") {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const res = await org.call("POST", "/Users", { schemas: [CORE], userName: `${prefix}${i}@pull.test` });
    expect(res.status).toBe(201);
    ids.push(res.body.id);
  }
  return ids;
}

describe("pulling events", () => {
  it("pages in sequence order, and the last page's nextCursor polls for what comes later", async () => {
    const org = await newScimOrg();
    await users(org, 5);
    const first = await pull(org.orgId, "limit=2");
    expect(first.status).toBe(200);
    expect(first.body.events.map((e: any) => e.sequence)).toEqual([1, 2]);
    expect(first.body.events[0]).toMatchObject({ type: "user.created", orgId: org.orgId });
    expect(first.body.events[0].occurredAt).toMatch(/^\d{4}-\d\d-\d\dT.*Z$/);
    expect(Object.keys(first.body.events[0]).sort()).toEqual(["data", "id", "occurredAt", "orgId", "sequence", "type"]);
    const second = await pull(org.orgId, `limit=2&after=${first.body.nextCursor}`);
    expect(second.body.events.map((e: any) => e.sequence)).toEqual([3, 4]);
    const last = await pull(org.orgId, `limit=2&after=${second.body.nextCursor}`);
    expect(last.body.events.map((e: any) => e.sequence)).toEqual([5]);
    // Even the last (and an empty) page has a cursor to poll from.
    const empty = await pull(org.orgId, `after=${last.body.nextCursor}`);
    expect(empty.body).toEqual({ events: [], nextCursor: last.body.nextCursor });
    await users(org, 1, "later");
    const polled = await pull(org.orgId, `after=${empty.body.nextCursor}`);
    expect(polled.body.events.map((e: any) => e.sequence)).toEqual([6]);
  });

  it("filters by type (repeated or comma-separated), and the cursor moves past what the filter skipped", async () => {
    const org = await newScimOrg();
    const [a] = await users(org, 2);
    await org.call("PATCH", `/Users/${a}`, patchBody({ op: "replace", path: "active", value: false }));
    const deactivated = await pull(org.orgId, "type=user.deactivated");
    expect(deactivated.body.events.map((e: any) => [e.sequence, e.type])).toEqual([[3, "user.deactivated"]]);
    const both = await pull(org.orgId, "type=user.deactivated&type=user.created");
    expect(both.body.events.length).toBe(3);
    expect((await pull(org.orgId, "type=user.deactivated,user.created")).body.events.length).toBe(3);
    // Nothing of that type: the cursor still moves to the stream's end, so polling skips for good.
    const none = await pull(org.orgId, "type=group.deleted");
    expect(none.body.events).toEqual([]);
    await users(org, 1, "after");
    expect((await pull(org.orgId, `after=${none.body.nextCursor}`)).body.events.map((e: any) => e.sequence)).toEqual([4]);
  });

  it("refuses bad parameters with 400, and another org's id finds nothing of this one", async () => {
    const org = await newScimOrg();
    await users(org, 1);
    expect((await pull(org.orgId, "type=user.exploded")).status).toBe(400);
    expect((await pull(org.orgId, "limit=501")).status).toBe(400);
    expect((await pull(org.orgId, "limit=0")).status).toBe(400);
    expect((await pull(org.orgId, "after=not-a-cursor")).status).toBe(400);
    // A cursor past the end of the stream (e.g. another org's) is refused, not silently empty.
    const other = await newScimOrg();
    await users(other, 3, "o");
    const far = (await pull(other.orgId)).body.nextCursor;
    const ahead = await pull(org.orgId, `after=${far}`);
    expect(ahead.status).toBe(400);
    expect((await pull(other.orgId)).body.events.every((e: any) => e.orgId === other.orgId)).toBe(true);
    expect((await pull("no-such-org")).status).toBe(404);
    // Operator-only.
    const anonymous = await viaWorker(request("GET", `/api/v1/orgs/${org.orgId}/events`));
    expect(anonymous.status).toBe(401);
  });

  it("keeps 30 days: older events are pruned, numbering continues, and a cursor from before them gets 410", async () => {
    const org = await newScimOrg();
    await users(org, 3);
    const start = (await pull(org.orgId, "limit=1")).body.nextCursor; // after sequence 1
    // Every event of this org is older than 30 days by then.
    const result = await runMaintenance(database(env.DB), Date.now() + 31 * DAY);
    expect(result.events).toBeGreaterThanOrEqual(3);
    const gone = await pull(org.orgId, `after=${start}`);
    expect(gone.status).toBe(410);
    expect(gone.body.error.code).toBe("cursor_expired");
    await users(org, 1, "new");
    const fresh = await pull(org.orgId);
    // Sequences never restart: the next event is 4.
    expect(fresh.body.events.map((e: any) => e.sequence)).toEqual([4]);
  });
});

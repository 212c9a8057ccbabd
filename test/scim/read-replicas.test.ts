/**
 * Read replication (D1_READ_REPLICATION = "on") against a simulated topology (bench/topology.ts): a
 * primary, a replica that applies writes only when the test says so, and the Sessions API answered
 * as D1 answers it. What an identity provider depends on: it never misses its own write, an absent
 * answer is never a replica's lag, and a lost bookmark only costs a trip to the primary.
 */
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { Topology } from "../../bench/topology";
import { createApp } from "../../src/app";
import { cacheBookmarkStore, type BookmarkStore } from "../../src/db/bookmarks";
import { orgWriter } from "../../src/org-writer/client";
import type { OrgWriter } from "../../src/org-writer/writer";
import { newScimOrg, type Fetch, type ScimClient } from "../support/helpers";
import { memoryBookmarks } from "../support/round-trips";
import { CORE, PATCH_OP } from "../support/user-helpers";

const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";

/** An org served by an app on the simulated topology, its OrgWriter writing through it too. */
async function replicated(options: { store?: BookmarkStore } = {}) {
  const topology = new Topology(env.DB, env.REPLICA_DB, { lagMs: "manual" });
  const store = options.store ?? memoryBookmarks();
  const app = createApp({ wrapD1: () => topology.binding(), bookmarks: store });
  const on = { ...env, D1_READ_REPLICATION: "on" };
  const send: Fetch = async (request) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, on, ctx);
    const body = await response.arrayBuffer();
    await waitOnExecutionContext(ctx);
    return new Response(response.status === 204 ? null : body, response);
  };
  const org = await newScimOrg({ send });
  await runInDurableObject(orgWriter(env, org.orgId), (object) => {
    const instance = object as unknown as OrgWriter & { env: typeof env };
    instance.env = on;
    instance.d1 = topology.writerBinding();
  });
  await topology.catchUp(); // the org and its token exist on the replica too
  return { topology, org, store };
}

async function createUser(org: ScimClient, userName: string) {
  const res = await org.call("POST", "/Users", { schemas: [CORE], userName });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Yields to the event loop until `ready()` or a bounded number of turns (no clock involved). */
async function until(ready: () => boolean) {
  for (let i = 0; i < 1_000 && !ready(); i++) await new Promise((resolve) => setTimeout(resolve, 0));
  return ready();
}

const byUserName = (userName: string) => `/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

describe("read-your-writes with read replicas", () => {
  it("a read after the identity provider's own write waits until the replica has it, then sees it", async () => {
    const { topology, org } = await replicated();
    const id = await createUser(org, "ada@example.com");

    let settled = false;
    const read = org.call("GET", `/Users/${id}`).finally(() => (settled = true));
    // The read's session starts from the create's bookmark: the replica is behind it, so it waits.
    expect(await until(() => topology.waiting === 1)).toBe(true);
    expect(settled).toBe(false);

    await topology.catchUp();
    const res = await read;
    expect(res.status).toBe(200);
    expect(res.body.userName).toBe("ada@example.com");
    expect(topology.stats.waited).toBe(1);
  });

  it("sees a membership the OrgWriter just wrote: the writer's bookmark is kept for the org's next reads", async () => {
    const { topology, org, store } = await replicated();
    const userId = await createUser(org, "grace@example.com");
    const group = await org.call("POST", "/Groups", { schemas: [GROUP], displayName: "Engineers" });
    expect(group.status).toBe(201);
    const before = await store.get(org.orgId);
    const patch = await org.call("PATCH", `/Groups/${group.body.id}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: "add", path: "members", value: [{ value: userId }] }],
    });
    expect(patch.status).toBe(204);
    const after = await store.get(org.orgId);
    expect(after! > before!).toBe(true);

    const read = org.call("GET", `/Groups/${group.body.id}`);
    expect(await until(() => topology.waiting === 1)).toBe(true);
    await topology.catchUp();
    expect((await read).body.members.map((m: { value: string }) => m.value)).toEqual([userId]);
  });

  it("with a bookmark store that always misses, reads go to the primary and still see every write", async () => {
    const { topology, org } = await replicated({ store: memoryBookmarks({ alwaysMiss: true }) });
    const id = await createUser(org, "alan@example.com");
    const patched = await org.call("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "Alan T" }] });
    expect(patched.status).toBe(200);
    topology.stats.replica = 0;

    // The replica never catches up in this test: any read it served would miss these writes.
    expect((await org.call("GET", `/Users/${id}`)).body.displayName).toBe("Alan T");
    expect((await org.call("GET", byUserName("alan@example.com"))).body.totalResults).toBe(1);
    expect((await org.call("GET", "/Users")).body.totalResults).toBe(1);
    expect(topology.stats.replica).toBe(0);
  });

  it("confirms an absent answer on the primary when the replica may lag: no false 404, no duplicate user", async () => {
    // A bookmark older than the org's latest write (e.g. kept from a write made before in this
    // location, while the newer one was made elsewhere): the replica is at it but lacks the user.
    const stale: BookmarkStore = { get: async () => "0000000000000001", put: async () => {} };
    const { topology, org } = await replicated({ store: stale });
    const id = await createUser(org, "edsger@example.com");
    topology.stats.replica = 0;

    const got = await org.call("GET", `/Users/${id}`);
    expect(got.status).toBe(200);
    const lookup = await org.call("GET", byUserName("edsger@example.com"));
    expect(lookup.body.totalResults).toBe(1);
    expect(lookup.body.Resources[0].id).toBe(id);
    expect((await org.call("GET", `/Groups?filter=${encodeURIComponent('displayName eq "none"')}`)).body.totalResults).toBe(0);
    // The replica was asked first, and each "nothing here" went on to the primary.
    expect(topology.stats.replica).toBe(3);
    expect((await org.call("GET", "/Users/no-such-id")).status).toBe(404);
  });

  it("without the mechanism (no bookmark kept: the bench's --no-bookmarks), reads miss the identity provider's own changes", async () => {
    const oldest: BookmarkStore = { get: async () => "0000000000000000", put: async () => {} };
    const { topology, org } = await replicated({ store: oldest });
    const id = await createUser(org, "barbara@example.com");
    await topology.catchUp();
    const patched = await org.call("PATCH", `/Users/${id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "Barbara L" }] });
    expect(patched.body.displayName).toBe("Barbara L");
    // The replica has not applied the PATCH: a read that is not held to its bookmark shows the old state.
    expect((await org.call("GET", `/Users/${id}`)).body.displayName).toBeUndefined();
  });
});

describe("the platform pieces", () => {
  it("the Cache API bookmark store keeps one bookmark per org, and misses for an org it never saw", async () => {
    const store = cacheBookmarkStore();
    await store.put("org-a", "0000000000000007");
    await store.put("org-b", "0000000000000009");
    expect(await store.get("org-a")).toBe("0000000000000007");
    expect(await store.get("org-b")).toBe("0000000000000009");
    expect(await store.get("org-c")).toBeNull();
  });

  it("local D1 answers the Sessions API (so `wrangler dev` runs with replication on, every query at the primary)", async () => {
    const session = env.DB.withSession("first-primary");
    expect(await session.prepare("SELECT 1 AS one").first("one")).toBe(1);
    // Local D1 hands out bookmarks in D1's own shape, which order as strings.
    const bookmark = session.getBookmark();
    expect(bookmark).toMatch(/^[0-9a-f]{8}-[0-9a-f]{8}-/);
    const again = env.DB.withSession(bookmark!);
    expect(await again.prepare("SELECT 2 AS two").first("two")).toBe(2);
  });
});

// Runs in the vitest "bench" project, whose Worker is bench/worker.ts: the simulated topology that
// `npm run bench -- --latency / --replica-lag-ms / --no-bookmarks` configures under /bench-topology.
import { describe, expect, it } from "vitest";
import { newScimOrg, request, viaWorker } from "../test/support/helpers";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

async function configure(body: unknown) {
  const res = await viaWorker(request("POST", "/bench-topology/configure", { body }));
  expect(res.status).toBe(200);
}

async function hops() {
  return (await viaWorker(request("POST", "/bench-topology/hops", { body: {} }))).json<Record<string, number>>();
}

/**
 * Creates a user and lets the replica have it (a replica with no lag, read once), then — on the
 * topology `then` configures — changes it and reads it back at once: what an identity provider does
 * when it updates someone provisioned earlier.
 */
async function changeThenRead(then: unknown) {
  await configure({ lagMs: 0, bookmarks: true });
  const org = await newScimOrg();
  const created = await org.call("POST", "/Users", { schemas: [CORE], userName: `t${Math.random()}@example.com` });
  expect(created.status).toBe(201);
  expect((await org.call("GET", `/Users/${created.body.id}`)).status).toBe(200);
  await configure(then);
  const patched = await org.call("PATCH", `/Users/${created.body.id}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: "Changed" }] });
  expect(patched.status).toBe(200);
  await hops();
  const read = await org.call("GET", `/Users/${created.body.id}`);
  return { read, hops: await hops() };
}

describe("the bench's simulated topology", () => {
  it("with bookmarks, a read after a write waits for the lagging replica and sees the write", async () => {
    const { read, hops: counted } = await changeThenRead({ lagMs: 50, bookmarks: true });
    expect(read.status).toBe(200);
    expect(read.body.displayName).toBe("Changed");
    expect(counted).toMatchObject({ replica: 1, primary: 0, kv: 1, cache: 1 });
  });

  it("with --no-bookmarks, the same read is served by the replica as it is and misses the change", async () => {
    const { read, hops: counted } = await changeThenRead({ lagMs: 60_000, bookmarks: false });
    expect(read.status).toBe(200);
    expect(read.body.displayName).toBeUndefined();
    expect(counted).toMatchObject({ replica: 1, primary: 0 });
  });

  it("with replication off (--distances' 'off' half, replica=off), reads go to the primary and the delays still apply", async () => {
    await configure({ lagMs: 0, bookmarks: true, replication: false });
    const org = await newScimOrg();
    const created = await org.call("POST", "/Users", { schemas: [CORE], userName: `off${Math.random()}@example.com` });
    expect(created.status).toBe(201);
    const set = await viaWorker(request("POST", "/bench-topology/delays", { body: { primary: 30, replica: 0, kv: 0, writer: 0, writerDb: 0 } }));
    expect(await set.json()).toMatchObject({ primary: 30, replication: false });
    await hops();
    const started = Date.now();
    const read = await org.call("GET", `/Users/${created.body.id}`);
    const elapsed = Date.now() - started;
    expect(read.status).toBe(200);
    expect(await hops()).toMatchObject({ primary: 1, replica: 0, cache: 0, kv: 1 });
    expect(elapsed).toBeGreaterThanOrEqual(25);
    await viaWorker(request("POST", "/bench-topology/delays", { body: { primary: 0, replication: true } }));
  });
});

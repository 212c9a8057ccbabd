/**
 * `npm run bench -- --latency primary=80,replica=5,kv=2,writer=80,writerDb=1` and/or
 * `--replica-lag-ms N [--no-bookmarks]`: the bench's Worker on a simulated topology (bench/topology.ts,
 * configured through /bench-topology of bench/worker.ts).
 *
 * --latency: every operation of issue 12, at concurrency 1, measured twice in the same run — with no
 * added delays (`p50NoDelayMs`) and with the given per-hop delays (`p50Ms`) — with the mean hops of
 * its critical path (`roundTrips`). The replica has no lag here: this measures distance, not waiting.
 *
 * --replica-lag-ms: the identity-provider sequences (bench/idp-sequences.ts) against a replica that
 * applies writes N ms late; `consistency` counts the reads that missed the caller's own earlier
 * write. --no-bookmarks turns read-your-writes off (no bookmark kept: reads use the replica as it is).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ROOT, startDevServer } from "../test/e2e/support/dev-server";
import { BenchClient, type Timed } from "./client";
import { IDP_SEQUENCES } from "./idp-sequences";
import { percentile } from "./stats";

type Hops = { primary: number; replica: number; kv: number; cache: number; writer: number; writerDb: number };
type Delays = { primary: number; replica: number; kv: number; writer: number; writerDb: number };

export interface LatencyOptions {
  latency?: string;
  lagMs?: number;
  noBookmarks: boolean;
  quick: boolean;
}

const log = (line: string) => process.stderr.write(`${line}\n`);
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

export function parseDelays(spec: string): Delays {
  const delays: Delays = { primary: 0, replica: 0, kv: 0, writer: 0, writerDb: 0 };
  for (const part of spec.split(",").filter(Boolean)) {
    const [key, value] = part.split("=");
    if (!(key in delays) || !Number.isFinite(Number(value))) throw new Error(`--latency: bad part '${part}' (keys: ${Object.keys(delays).join(", ")})`);
    delays[key as keyof Delays] = Number(value);
  }
  return delays;
}

/** The hops each operation is budgeted (issue 12), replicas on, a bookmark found. */
const BUDGET: Record<string, Partial<Record<keyof Delays, number>>> = {
  "create-user": { primary: 1, kv: 1 },
  "get-user": { replica: 1, kv: 1 },
  "lookup-user": { replica: 1, kv: 1 },
  "lookup-absent-user": { replica: 1, primary: 1, kv: 1 },
  "list-users": { replica: 1, kv: 1 },
  "put-user": { primary: 2, kv: 1 },
  "patch-user": { primary: 2, kv: 1 },
  "delete-user": { writer: 1, writerDb: 2, kv: 1 },
  "create-group": { writer: 1, writerDb: 2, kv: 1 },
  "patch-group-member": { writer: 1, writerDb: 2, kv: 1 },
  "get-group": { replica: 1, kv: 1 },
  "list-groups": { replica: 1, kv: 1 },
};

export async function runLatency(options: LatencyOptions) {
  const started = Date.now();
  log("Starting wrangler dev (bench/wrangler.toml) with a simulated topology…");
  const server = await startDevServer({ config: "bench/wrangler.toml" });
  const control = async (route: string, body: unknown) => {
    const res = await fetch(`${server.baseUrl}/bench-topology${route}`, { method: "POST", body: JSON.stringify(body) });
    if (!res.ok) throw new Error(`${route} → ${res.status} ${await res.text()}`);
    return res.json() as Promise<any>;
  };
  const result: Record<string, unknown> = { startedAt: new Date(started).toISOString(), loadAverage: os.loadavg() };
  try {
    if (options.latency) {
      const delays = parseDelays(options.latency);
      await control("/configure", { lagMs: 0, bookmarks: true });
      const client = await newOrg(server.baseUrl, server.adminToken, "Latency");
      result.latency = delays;
      result.operations = await measureOperations(client, control, delays, options.quick ? 15 : 40);
    }
    if (options.lagMs !== undefined) {
      await control("/configure", { lagMs: options.lagMs, bookmarks: !options.noBookmarks });
      result.replicaLagMs = options.lagMs;
      result.bookmarks = !options.noBookmarks;
      result.consistency = await consistency(server.baseUrl, server.adminToken, options.quick ? 1 : 3, options.lagMs);
    }
  } finally {
    await server.stop();
  }
  result.minutes = ((Date.now() - started) / 60_000).toFixed(1);
  result.loadAverageAfter = os.loadavg();
  const outDir = path.join(ROOT, "bench/results");
  mkdirSync(outDir, { recursive: true });
  const file = path.join(outDir, `latency-${new Date().toISOString().replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, JSON.stringify(result, null, 2));
  console.log(JSON.stringify(result, null, 2));
  log(`\nResults: ${path.relative(ROOT, file)}`);
}

async function newOrg(baseUrl: string, adminToken: string, name: string) {
  const client = new BenchClient(baseUrl, adminToken);
  const org = await client.admin("POST", "/orgs", { name });
  await client.admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true });
  client.useScimToken((await client.admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "latency" })).token);
  return client;
}

async function measureOperations(client: BenchClient, control: (route: string, body: unknown) => Promise<any>, delays: Delays, k: number) {
  const run = Date.now().toString(36);
  const userBody = (i: number, pass: string) => ({ schemas: [CORE], userName: `lat${i}.${pass}.${run}@bench.example`, name: { givenName: "L", familyName: `F${i}` } });
  // Fixtures shared by both passes: users to read and change, a group to read and add to.
  const fixed: string[] = [];
  for (let i = 0; i < k; i++) fixed.push((await client.scim("POST", "/Users", userBody(i, "fixed"), [201])).body.id);
  const group = (await client.scim("POST", "/Groups", { schemas: [GROUP], displayName: `Latency ${run}`, members: fixed.slice(0, 5).map((value) => ({ value })) }, [201])).body.id;
  await client.scim("GET", "/Users?count=1"); // warms the token cache

  const ops: [string, (i: number, pass: string, created: string[]) => Promise<Timed>][] = [
    ["create-user", async (i, pass, created) => {
      const res = await client.scim("POST", "/Users", userBody(i, pass), [201]);
      created.push(res.body.id);
      return res;
    }],
    ["get-user", (i) => client.scim("GET", `/Users/${fixed[i]}`)],
    ["lookup-user", (i) => client.scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "lat${i}.fixed.${run}@bench.example"`)}`)],
    ["lookup-absent-user", (i, pass) => client.scim("GET", `/Users?filter=${encodeURIComponent(`userName eq "absent${i}.${pass}.${run}@bench.example"`)}`)],
    ["list-users", () => client.scim("GET", "/Users?count=10")],
    ["put-user", (i, pass) => client.scim("PUT", `/Users/${fixed[i]}`, { ...userBody(i, "fixed"), displayName: `Put ${pass} ${i}` })],
    ["patch-user", (i, pass) => client.scim("PATCH", `/Users/${fixed[i]}`, { schemas: [PATCH_OP], Operations: [{ op: "replace", path: "displayName", value: `Patch ${pass} ${i}` }] })],
    ["create-group", (i, pass) => client.scim("POST", "/Groups", { schemas: [GROUP], displayName: `G ${pass} ${i} ${run}` }, [201])],
    ["patch-group-member", (i, _pass, created) => client.scim("PATCH", `/Groups/${group}`, { schemas: [PATCH_OP], Operations: [{ op: "add", path: "members", value: [{ value: created[i] }] }] })],
    ["get-group", () => client.scim("GET", `/Groups/${group}`)],
    ["list-groups", () => client.scim("GET", "/Groups?count=10")],
    ["delete-user", (i, _pass, created) => client.scim("DELETE", `/Users/${created[i]}`, undefined, [204])],
  ];

  const zero: Delays = { primary: 0, replica: 0, kv: 0, writer: 0, writerDb: 0 };
  const out: Record<string, { roundTrips: Hops; p50NoDelayMs: number; p50Ms: number; addedMs: number; budgetMs: number; withinBudget: boolean }> = {};
  const samples: Record<string, { none: number[]; delayed: number[]; hops: Hops[] }> = {};
  for (const [name] of ops) samples[name] = { none: [], delayed: [], hops: [] };
  for (const [pass, d] of [["none", zero], ["delayed", delays]] as const) {
    await control("/delays", d);
    const created: string[] = [];
    for (const [name, op] of ops) {
      log(`  ${pass}: ${name}`);
      for (let i = 0; i < k; i++) {
        await control("/hops", {});
        const res = await op(i, pass, created);
        samples[name][pass].push(res.ms);
        if (pass === "none") samples[name].hops.push(await control("/hops", {}));
      }
    }
  }
  await control("/delays", zero);
  for (const [name] of ops) {
    const s = samples[name];
    const p50 = (v: number[]) => percentile([...v].sort((a, b) => a - b), 50);
    const mean = (key: keyof Hops) => s.hops.reduce((a, h) => a + h[key], 0) / s.hops.length;
    const roundTrips = { primary: mean("primary"), replica: mean("replica"), kv: mean("kv"), cache: mean("cache"), writer: mean("writer"), writerDb: mean("writerDb") };
    const budgetMs = Object.entries(BUDGET[name]).reduce((a, [hop, n]) => a + n! * delays[hop as keyof Delays], 0) * 1.15;
    const p50Ms = p50(s.delayed);
    const p50NoDelayMs = p50(s.none);
    const addedMs = p50Ms - p50NoDelayMs;
    out[name] = { roundTrips, p50NoDelayMs: round(p50NoDelayMs), p50Ms: round(p50Ms), addedMs: round(addedMs), budgetMs: round(budgetMs), withinBudget: addedMs <= budgetMs };
  }
  return out;
}

const round = (ms: number) => Math.round(ms * 10) / 10;

async function consistency(baseUrl: string, adminToken: string, rounds: number, lagMs: number) {
  const later = () => new Promise<void>((resolve) => setTimeout(resolve, lagMs + 250));
  let sequences = 0;
  let reads = 0;
  const violations: string[] = [];
  for (let r = 0; r < rounds; r++) {
    for (const [name, sequence] of Object.entries(IDP_SEQUENCES)) {
      const client = await newOrg(baseUrl, adminToken, `${name} ${r}`);
      log(`  consistency: ${name} (round ${r + 1}/${rounds})`);
      await sequence(client, `${r}.${Date.now().toString(36)}`, (label, ok) => {
        reads++;
        if (!ok) violations.push(label);
      }, later);
      sequences++;
    }
  }
  return { sequences, reads, violations: violations.length, missed: violations };
}

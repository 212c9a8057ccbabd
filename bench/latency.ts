/**
 * `npm run bench -- --latency primary=80,replica=5,kv=2,writer=80,writerDb=1`, `--distances 0,20,80,150`
 * and/or `--replica-lag-ms N [--no-bookmarks]`: the bench's Worker on a simulated topology
 * (bench/topology.ts, configured through /bench-topology of bench/worker.ts).
 *
 * --latency: every operation of issue 12, at concurrency 1, measured with no added delays
 * (`p50NoDelayMs`) and with the given per-hop delays (`p50Ms`) in the same run, with the mean hops of
 * its critical path (`roundTrips`). `replica=off` in the spec leaves read replication off (every read
 * to the primary; the delays still apply). The replica has no lag here: this measures distance, not waiting.
 *
 * --distances R1,R2,…: the same operations at each primary round trip R (primary=R, writer=R,
 * replica=5, kv=2, writerDb=1), with read replicas on and off, in the same run (`distances` in the
 * JSON; bench/distance.ts draws docs/latency-by-distance.svg from it). Given with --latency, every
 * setting is measured in one run.
 *
 * Settings are interleaved request by request (each operation's i-th sample is taken under every
 * setting before its (i+1)-th, in a rotating order), so that the machine's load lands on all alike.
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

export type Hops = { primary: number; replica: number; kv: number; cache: number; writer: number; writerDb: number };
type Delays = { primary: number; replica: number; kv: number; writer: number; writerDb: number };
/** One simulated setting: the hops' delays, and whether read replication is on. */
interface Setting {
  key: string;
  delays: Delays;
  replication: boolean;
}

export interface LatencyOptions {
  latency?: string;
  distances?: string;
  lagMs?: number;
  noBookmarks: boolean;
  quick: boolean;
  /** Samples per operation and setting (default 15 with --quick, else 40). */
  samples?: number;
}

/** Per-hop delays of `--distances` other than the round trip itself (issue 12's example). */
export const DISTANCE_HOPS = { replica: 5, kv: 2, writerDb: 1 } as const;

const log = (line: string) => process.stderr.write(`${line}\n`);
const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const GROUP = "urn:ietf:params:scim:schemas:core:2.0:Group";
const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
const ZERO: Delays = { primary: 0, replica: 0, kv: 0, writer: 0, writerDb: 0 };

/** `primary=80,replica=5,…` → delays; `replica=off` turns read replication off. */
export function parseDelays(spec: string): { delays: Delays; replication: boolean } {
  const delays: Delays = { ...ZERO };
  let replication = true;
  for (const part of spec.split(",").filter(Boolean)) {
    const [key, value] = part.split("=");
    if (key === "replica" && value === "off") {
      replication = false;
      continue;
    }
    if (!(key in delays) || value === undefined || value === "" || !Number.isFinite(Number(value))) {
      throw new Error(`--latency: bad part '${part}' (keys: ${Object.keys(delays).join(", ")}; replica=off turns replication off)`);
    }
    delays[key as keyof Delays] = Number(value);
  }
  return { delays, replication };
}

/** `0,20,80,150` → round trips in ms, ascending, each once. */
export function parseDistances(spec: string): number[] {
  const values = spec.split(",").filter(Boolean).map(Number);
  if (values.length === 0 || values.some((v) => !Number.isFinite(v) || v < 0)) throw new Error(`--distances: expected round trips in ms, e.g. 0,20,80,150 (got '${spec}')`);
  return [...new Set(values)].sort((a, b) => a - b);
}

/** The setting of `--distances` at round trip `rtt`, replicas on or off. */
export function distanceSetting(rtt: number, replication: boolean): Setting {
  const delays = { primary: rtt, writer: rtt, ...DISTANCE_HOPS };
  return { key: settingKey(delays, replication), delays, replication };
}

function settingKey(d: Delays, replication: boolean): string {
  return `primary=${d.primary},replica=${replication ? d.replica : "off"},kv=${d.kv},writer=${d.writer},writerDb=${d.writerDb}`;
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
  const result: Record<string, unknown> = { startedAt: new Date(started).toISOString(), loadAverage: os.loadavg(), cpus: os.cpus().length };
  try {
    if (options.latency || options.distances) {
      const none: Setting = { key: "none", delays: ZERO, replication: true };
      const settings = new Map<string, Setting>([[none.key, none]]);
      let budgeted: Setting | undefined;
      if (options.latency) {
        const { delays, replication } = parseDelays(options.latency);
        budgeted = { key: settingKey(delays, replication), delays, replication };
        settings.set(budgeted.key, budgeted);
      }
      const rtts = options.distances ? parseDistances(options.distances) : [];
      for (const replication of [true, false]) {
        for (const rtt of rtts) {
          const s = distanceSetting(rtt, replication);
          settings.set(s.key, s);
        }
      }
      const k = options.samples ?? (options.quick ? 15 : 40);
      await control("/configure", { lagMs: 0, bookmarks: true, replication: true });
      const client = await newOrg(server.baseUrl, server.adminToken, "Latency");
      const measured = await measureOperations(client, control, [...settings.values()], k);
      result.samplesPerOperation = k;
      if (budgeted) {
        result.latency = { ...budgeted.delays, replication: budgeted.replication ? "on" : "off" };
        result.operations = Object.fromEntries(
          Object.entries(measured).map(([name, bySetting]) => {
            const base = bySetting.get(none.key)!;
            const delayed = bySetting.get(budgeted.key)!;
            const budgetMs = Object.entries(BUDGET[name]).reduce((a, [hop, n]) => a + n! * budgeted.delays[hop as keyof Delays], 0) * 1.15;
            const addedMs = delayed.p50Ms - base.p50Ms;
            return [name, {
              roundTrips: delayed.roundTrips,
              roundTripsNoDelay: base.roundTrips,
              p50NoDelayMs: round(base.p50Ms),
              p50Ms: round(delayed.p50Ms),
              addedMs: round(addedMs),
              budgetMs: round(budgetMs),
              withinBudget: addedMs <= budgetMs,
            }];
          }),
        );
      }
      if (rtts.length) {
        const at = (name: string, replication: boolean) => rtts.map((r) => measured[name].get(distanceSetting(r, replication).key)!);
        result.distances = {
          rttMs: rtts,
          hops: { ...DISTANCE_HOPS, writer: "= rtt" },
          operations: Object.fromEntries(
            Object.keys(measured).map((name) => [name, Object.fromEntries(([["on", true], ["off", false]] as const).map(([mode, replication]) => {
              const points = at(name, replication);
              return [mode, { p50Ms: points.map((p) => round(p.p50Ms)), p95Ms: points.map((p) => round(p.p95Ms)), roundTrips: meanHops(points.map((p) => p.roundTrips)) }];
            }))]),
          ),
        };
      }
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

type Measured = { p50Ms: number; p95Ms: number; roundTrips: Hops };

function meanHops(all: Hops[]): Hops {
  const mean = (key: keyof Hops) => Math.round((all.reduce((a, h) => a + h[key], 0) / all.length) * 100) / 100;
  return { primary: mean("primary"), replica: mean("replica"), kv: mean("kv"), cache: mean("cache"), writer: mean("writer"), writerDb: mean("writerDb") };
}

/**
 * Every operation, `k` samples under each setting, interleaved: the i-th sample of an operation is
 * taken under every setting (in an order rotated by i) before the (i+1)-th. Each setting has its own
 * created users, so that the group PATCH and the delete act on that setting's own creates.
 */
async function measureOperations(client: BenchClient, control: (route: string, body: unknown) => Promise<any>, settings: Setting[], k: number) {
  const run = Date.now().toString(36);
  const userBody = (i: number, pass: string) => ({ schemas: [CORE], userName: `lat${i}.${pass}.${run}@bench.example`, name: { givenName: "L", familyName: `F${i}` } });
  // Fixtures shared by every setting: users to read and change, a group to read and add to.
  const fixed: string[] = [];
  for (let i = 0; i < k; i++) fixed.push((await client.scim("POST", "/Users", userBody(i, "fixed"), [201])).body.id);
  const group = (await client.scim("POST", "/Groups", { schemas: [GROUP], displayName: `Latency ${run}`, members: fixed.slice(0, 5).map((value) => ({ value })) }, [201])).body.id;
  await client.scim("GET", "/Users?count=1"); // warms the token cache

  const ops: [string, (i: number, pass: string, created: string[]) => Promise<Timed>][] = [
    ["create-user", async (i, pass, created) => {
      const res = await client.scim("POST", "/Users", userBody(i, pass), [201]);
      created[i] = res.body.id;
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

  const samples = new Map<string, Map<string, { ms: number[]; hops: Hops[] }>>();
  const created = new Map<string, string[]>(settings.map((s) => [s.key, []]));
  for (const [name] of ops) samples.set(name, new Map(settings.map((s) => [s.key, { ms: [], hops: [] }])));
  for (const [name, op] of ops) {
    log(`  ${name}: ${k} × ${settings.length} settings`);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < settings.length; j++) {
        const s = settings[(i + j) % settings.length];
        // The setting's name is its pass tag: every setting creates and looks up names of its own.
        const pass = `s${settings.indexOf(s)}`;
        await control("/delays", { ...s.delays, replication: s.replication });
        await control("/hops", {});
        const res = await op(i, pass, created.get(s.key)!);
        const hops = (await control("/hops", {})) as Hops;
        const into = samples.get(name)!.get(s.key)!;
        into.ms.push(res.ms);
        into.hops.push(hops);
      }
    }
  }
  await control("/delays", { ...ZERO, replication: true });
  const out: Record<string, Map<string, Measured>> = {};
  for (const [name] of ops) {
    out[name] = new Map();
    for (const s of settings) {
      const { ms, hops } = samples.get(name)!.get(s.key)!;
      const sorted = [...ms].sort((a, b) => a - b);
      out[name].set(s.key, { p50Ms: percentile(sorted, 50), p95Ms: percentile(sorted, 95), roundTrips: meanHops(hops) });
    }
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

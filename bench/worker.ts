/**
 * The benchmark's Worker (bench/wrangler.toml; `npm run bench` runs it under `wrangler dev`): the
 * product app exactly as src/index.ts builds it, plus the floor routes under /bench-floor, plus —
 * once `npm run bench -- --latency …` or `--replica-lag-ms …` configures one under /bench-topology —
 * a simulated D1 topology (bench/topology.ts: a lagging replica on REPLICA_DB, per-hop delays). It
 * is never deployed, and nothing here is reachable from the product's entry (scripts/check-bundle.mjs
 * checks the product bundle for it).
 */
import { Hono } from "hono";
import { createApp, type AppOptions } from "../src/app";
import { cacheBookmarkStore, type BookmarkStore } from "../src/db/bookmarks";
import type { Env } from "../src/env";
import product, { OrgWriter as ProductOrgWriter } from "../src/index";
import { benchFloorRoutes } from "./floor";
import { Topology, type HopDelays } from "./topology";

type BenchEnv = Env & { REPLICA_DB: D1Database };

interface Simulation {
  topology: Topology;
  delays: HopDelays & { kv: number; writer: number };
  bookmarks: boolean;
  hops: { primary: number; replica: number; kv: number; cache: number; writer: number; writerDb: number };
}

/** The simulation in force (module state: the Worker and its Durable Objects share the isolate under `wrangler dev`). */
let sim: Simulation | undefined;

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
const BOOKKEEPING = /\b(scim_log|counters)\b|last_used_at/;
const WRITES = new Set(["createGroup", "replaceGroup", "patchGroup", "deleteGroup", "deleteUser"]);

/**
 * The product's Cache API store; with --no-bookmarks, one that keeps nothing and answers the oldest
 * bookmark there is, so that reads use a replica as it is (what they would do without read-your-writes;
 * an absent answer is still confirmed on the primary, a separate safety).
 */
const bookmarkStore = cacheBookmarkStore();
const OLDEST = "0000000000000000";
const bookmarks: BookmarkStore = {
  async get(orgId) {
    if (!sim) return bookmarkStore.get(orgId);
    sim.hops.cache++;
    return sim.bookmarks ? bookmarkStore.get(orgId) : OLDEST;
  },
  async put(orgId, bookmark) {
    if (sim) sim.hops.cache++;
    if (!sim || sim.bookmarks) await bookmarkStore.put(orgId, bookmark);
  },
};

/** Copies the primary's schema to the replica database (once): the replica then follows every write. */
async function mirrorSchema(env: BenchEnv) {
  const existing = await env.REPLICA_DB.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'users'").first<{ n: number }>();
  if (existing?.n) return;
  const { results } = await env.DB.prepare(
    "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations' ORDER BY CASE type WHEN 'table' THEN 0 ELSE 1 END, rowid",
  ).all<{ sql: string }>();
  await env.REPLICA_DB.batch(results.map((r) => env.REPLICA_DB.prepare(r.sql)));
}

const topologyRoutes = new Hono<{ Bindings: BenchEnv }>()
  .post("/configure", async (c) => {
    const body = await c.req.json<{ lagMs: number; delays?: Partial<Simulation["delays"]>; bookmarks?: boolean }>();
    await mirrorSchema(c.env);
    const delays = { primary: 0, replica: 0, kv: 0, writer: 0, writerDb: 0, ...body.delays };
    const topology = new Topology(c.env.DB, c.env.REPLICA_DB, {
      lagMs: body.lagMs,
      delays,
      onRoundTrip: (target, sql, fromWriter) => {
        if (!sim || sql.every((s) => BOOKKEEPING.test(s))) return;
        sim.hops[fromWriter ? "writerDb" : target]++;
      },
    });
    sim = { topology, delays, bookmarks: body.bookmarks !== false, hops: zeroHops() };
    return c.json({ ok: true });
  })
  .post("/delays", async (c) => {
    if (!sim) return c.json({ error: "no topology" }, 409);
    Object.assign(sim.delays, await c.req.json());
    sim.topology.setDelays(sim.delays);
    return c.json(sim.delays);
  })
  .post("/hops", (c) => {
    const hops = sim?.hops ?? zeroHops();
    if (sim) sim.hops = zeroHops();
    return c.json(hops);
  });

function zeroHops(): Simulation["hops"] {
  return { primary: 0, replica: 0, kv: 0, cache: 0, writer: 0, writerDb: 0 };
}

/** The token cache with the simulated KV hop. */
function delayedKv(kv: KVNamespace): KVNamespace {
  return new Proxy(kv, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop === "get" && typeof value === "function") {
        return async (...args: unknown[]) => {
          if (sim) {
            sim.hops.kv++;
            await sleep(sim.delays.kv);
          }
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The OrgWriter namespace with the simulated hop to the writer on each call. */
function delayedWriters<T extends DurableObjectNamespace<any>>(ns: T): T {
  return new Proxy(ns, {
    get(target, prop) {
      const value = Reflect.get(target, prop) as unknown;
      if (prop !== "get" || typeof value !== "function") return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      return (...args: unknown[]) => {
        const stub = (value as (...a: unknown[]) => DurableObjectStub).apply(target, args);
        return new Proxy(stub, {
          get(s, method) {
            const call = Reflect.get(s, method) as unknown;
            if (typeof method !== "string" || !WRITES.has(method) || typeof call !== "function") return call;
            return async (...callArgs: unknown[]) => {
              if (sim) {
                sim.hops.writer++;
                await sleep(sim.delays.writer);
              }
              return (call as (...a: unknown[]) => unknown)(...callArgs);
            };
          },
        });
      };
    },
  });
}

/** The product app with the floor mounted; `options` are the product's injection points (src/app.ts). */
export function createBenchApp(options: AppOptions = {}) {
  const app = createApp(options);
  app.route("/bench-floor", benchFloorRoutes);
  return app;
}

const app = createBenchApp({ wrapD1: (db) => (sim ? sim.topology.binding() : db), bookmarks });
const control = new Hono<{ Bindings: BenchEnv }>().route("/bench-topology", topologyRoutes);

/** The product's OrgWriter, writing through the simulated topology when one is configured. */
export class OrgWriter extends ProductOrgWriter {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const real = env.DB;
    Object.defineProperty(this, "d1", { get: () => (sim ? sim.topology.writerBinding() : real), set: () => {} });
    Object.defineProperty(this, "env", { get: () => (sim ? { ...env, D1_READ_REPLICATION: "on" } : env) });
  }
}

export default {
  ...product,
  fetch(request: Request, env: BenchEnv, ctx: ExecutionContext) {
    if (new URL(request.url).pathname.startsWith("/bench-topology/")) return control.fetch(request, env, ctx);
    if (!sim) return app.fetch(request, env, ctx);
    const simulated = { ...env, D1_READ_REPLICATION: "on", TOKEN_CACHE: delayedKv(env.TOKEN_CACHE), ORG_WRITER: delayedWriters(env.ORG_WRITER) };
    return app.fetch(request, simulated, ctx);
  },
} satisfies ExportedHandler<BenchEnv>;

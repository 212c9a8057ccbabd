/**
 * The benchmark's Worker (bench/wrangler.toml; `npm run bench` runs it under `wrangler dev`): the
 * product app exactly as src/index.ts builds it, plus the floor routes under /bench-floor, plus —
 * once `npm run bench -- --latency …` or `--replica-lag-ms …` configures one under /bench-topology —
 * a simulated D1 topology (bench/topology.ts: a lagging replica on REPLICA_DB, per-hop delays), and a
 * switch for the OrgWriter's group commit with the measurements of bench/sizes.ts. It is never deployed, and nothing here is reachable from the product's entry (scripts/check-bundle.mjs
 * checks the product bundle for it).
 */
import { Hono } from "hono";
import { createApp, type AppOptions } from "../src/app";
import { cacheBookmarkStore, type BookmarkStore } from "../src/db/bookmarks";
import type { Env } from "../src/env";
import product from "../src/index";
import { orgWriter } from "../src/org-writer/client";
import { MAX_WRITES_PER_BATCH, OrgWriter as ProductOrgWriter } from "../src/org-writer/writer";
import { ProvisioningLog as ProductProvisioningLog } from "../src/provisioning-log/durable-object";
import { provisioningLogOf } from "../src/provisioning-log/store";
import type { AppEnv } from "../src/routes/context";
import { identifyScimCaller, scimAuth } from "../src/routes/middleware/scim-caller";
import { benchFloorRoutes } from "./floor";

// The product's webhook delivery objects, as deployed (bench/wrangler.toml binds them).
export { WebhookDelivery } from "../src/events/delivery";
import { Topology, type HopDelays } from "./topology";

type BenchEnv = Env & { REPLICA_DB: D1Database };

interface Simulation {
  topology: Topology;
  delays: HopDelays & { kv: number; writer: number };
  bookmarks: boolean;
  /**
   * Read replication as the product sees it (`D1_READ_REPLICATION`): on by default; off (`replica=off`
   * in `--latency`, the "off" half of `--distances`) leaves it "off", so every read goes to the primary,
   * with the same per-hop delays.
   */
  replication: boolean;
  hops: { primary: number; replica: number; kv: number; cache: number; writer: number; writerDb: number };
}

/** The simulation in force (module state: the Worker and its Durable Objects share the isolate under `wrangler dev`). */
let sim: Simulation | undefined;

const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());
/** D1 work after the response, not on a request's critical path (test/support/helpers.ts BACKGROUND_BOOKKEEPING). */
const BOOKKEEPING = /\bcounters\b|last_used_at|^SELECT id FROM webhooks WHERE org_id = \?$/;
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
    const body = await c.req.json<{ lagMs: number; delays?: Partial<Simulation["delays"]>; bookmarks?: boolean; replication?: boolean }>();
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
    sim = { topology, delays, bookmarks: body.bookmarks !== false, replication: body.replication !== false, hops: zeroHops() };
    return c.json({ ok: true });
  })
  /** The hops' delays, and (`replication`: true / false) read replication, for the requests that follow. */
  .post("/delays", async (c) => {
    if (!sim) return c.json({ error: "no topology" }, 409);
    const { replication, ...delays } = await c.req.json<Partial<Simulation["delays"]> & { replication?: boolean }>();
    Object.assign(sim.delays, delays);
    if (replication !== undefined) sim.replication = replication;
    sim.topology.setDelays(sim.delays);
    return c.json({ ...sim.delays, replication: sim.replication });
  })
  .post("/hops", (c) => {
    const hops = sim?.hops ?? zeroHops();
    if (sim) sim.hops = zeroHops();
    return c.json(hops);
  });

/** What the product reads from `D1_READ_REPLICATION` under the simulation. */
function replicationVar(s: Simulation): "on" | "off" {
  return s.replication ? "on" : "off";
}

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

const GROUP_COMMIT_KEY = "bench:groupCommit";
const EVENTS_KEY = "bench:events";

/**
 * Organizations whose writes store no directory events (the outbox switched off, to measure what it
 * costs). Module state: under `wrangler dev` the Worker runs in one isolate; the OrgWriter keeps its
 * own switch in storage.
 */
const eventsOff = new Set<string>();

/** POST /bench-floor/writer/group-commit {"on": false}: the token's organization's writer commits one write per batch. */
const writerSwitch = new Hono<AppEnv>().use(identifyScimCaller, scimAuth).post("/group-commit", async (c) => {
  const { on } = await c.req.json<{ on: boolean }>();
  const stub = orgWriter(c.env, c.var.orgId) as unknown as DurableObjectStub<OrgWriter>;
  return c.json({ groupCommit: await stub.setGroupCommit(on === true) });
});

/** POST /bench-floor/writer/events {"on": false}: the token's organization's writes store no events. */
writerSwitch.post("/events", async (c) => {
  const { on } = await c.req.json<{ on: boolean }>();
  if (on) eventsOff.delete(c.var.orgId);
  else eventsOff.add(c.var.orgId);
  const stub = orgWriter(c.env, c.var.orgId) as unknown as DurableObjectStub<OrgWriter>;
  return c.json({ events: await stub.setEvents(on === true) });
});

/**
 * POST /bench-floor/writer/sizes {n, userId, groupId} (bench/sizes.ts): copies real rows of the token's
 * organization N times and reports the growth of the database per copy, and D1's own execution time
 * (meta.duration) of the statements of typical writes.
 */
const sizes = new Hono<AppEnv>().use(identifyScimCaller, scimAuth).post("/sizes", async (c) => {
  const { n, userId, groupId } = await c.req.json<{ n: number; userId: string; groupId: string }>();
  const d1 = c.env.DB;
  const orgId = c.var.orgId;
  const size = async () => (await d1.prepare("SELECT 1").run()).meta.size_after as number;
  const columns = async (table: string) => ((await d1.prepare(`PRAGMA table_info(${table})`).all<{ name: string }>()).results).map((r) => r.name);
  const series = `WITH RECURSIVE s(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM s WHERE n < ${Number(n)})`;
  const quoted = (cols: string[]) => cols.map((col) => `"${col}"`).join(", ");
  const copy = (cols: string[], replace: Record<string, string>) => cols.map((col) => replace[col] ?? `"${col}"`).join(", ");
  const newId = "lower(hex(randomblob(4))) || '-' || lower(hex(randomblob(2))) || '-' || lower(hex(randomblob(2))) || '-' || lower(hex(randomblob(2))) || '-' || lower(hex(randomblob(6)))";
  const measure = async (run: () => Promise<unknown>) => {
    const before = await size();
    await run();
    const after = await size();
    return { before, after, bytesPerRow: (after - before) / n };
  };
  const userCols = await columns("users");
  const emailCols = await columns("user_emails");
  const groupCols = await columns("groups");

  const users = await measure(async () => {
    await d1
      .prepare(`${series} INSERT INTO users (${quoted(userCols)}) SELECT ${copy(userCols, {
        id: newId,
        user_name: "user_name || '.' || s.n",
        user_name_norm: "user_name_norm || '.' || s.n",
        user_name_key: "user_name_key || '.' || s.n",
        external_id: "external_id || '.' || s.n",
      })} FROM users, s WHERE users.id = ?`)
      .bind(userId)
      .run();
    await d1
      .prepare(`INSERT INTO user_emails (${quoted(emailCols)}) SELECT ${emailCols.map((col) => (col === "user_id" ? "u.id" : `e."${col}"`)).join(", ")}
        FROM users u CROSS JOIN user_emails e WHERE u.org_id = ? AND u.id != ? AND e.user_id = ?`)
      .bind(orgId, userId, userId)
      .run();
  });
  const groups = await measure(() =>
    d1
      .prepare(`${series} INSERT INTO groups (${quoted(groupCols)}) SELECT ${copy(groupCols, {
        id: newId,
        display_name: "display_name || ' ' || s.n",
        display_name_norm: "display_name_norm || ' ' || s.n",
      })} FROM groups, s WHERE groups.id = ?`)
      .bind(groupId)
      .run(),
  );
  const memberships = await measure(() =>
    d1
      .prepare(`INSERT INTO group_members (group_id, user_id, org_id) SELECT ?, u.id, u.org_id FROM users u WHERE u.org_id = ? AND u.id != ?`)
      .bind(groupId, orgId, userId)
      .run(),
  );
  // The log: the organization's own ProvisioningLog object (D1's scim_log is no longer written).
  const logStub = provisioningLogOf(c.env, orgId) as unknown as DurableObjectStub<ProvisioningLog>;
  const logInDurableObject = await logStub.measureStorage(Math.min(n, 5_000));

  // Time per call of typical statements, as the Worker sees it (wall clock around each awaited call:
  // workerd's timers advance only across I/O, and local D1's meta.duration is always 0). Locally this
  // is mostly the hop to the local D1 object, not SQLite's work.
  const someUsers = (await d1.prepare("SELECT id, version FROM users WHERE org_id = ? AND id != ? LIMIT 300").bind(orgId, userId).all<{ id: string; version: number }>()).results;
  const perCall: Record<string, number> = {};
  const time = async (label: string, items: unknown[], call: (item: any) => Promise<unknown>) => {
    const started = Date.now();
    for (const item of items) await call(item);
    perCall[label] = (Date.now() - started) / Math.max(1, items.length);
  };
  await time("userRead", someUsers, (u) => d1.prepare("SELECT id, version, created_at, last_modified, data FROM users WHERE org_id = ? AND id = ?").bind(orgId, u.id).run());
  await time("userUpdateBatch (4 statements)", someUsers.slice(0, 100), (u) =>
    d1.batch([
      d1.prepare("DELETE FROM user_emails WHERE user_id = ? AND EXISTS (SELECT 1 FROM users WHERE id = ? AND org_id = ? AND version = ?)").bind(u.id, u.id, orgId, u.version),
      d1.prepare("INSERT INTO user_emails (user_id, position, org_id, value_norm, type_norm, \"primary\") SELECT ?, 0, ?, 'x@example.com', 'work', 1 WHERE EXISTS (SELECT 1 FROM users WHERE id = ? AND org_id = ? AND version = ?)").bind(u.id, orgId, u.id, orgId, u.version),
      d1.prepare("UPDATE users SET version = version + 1, last_modified = last_modified + 1 WHERE id = ? AND org_id = ? AND version = ?").bind(u.id, orgId, u.version),
      d1.prepare("SELECT gm.user_id, g.id, g.display_name FROM group_members gm CROSS JOIN groups g ON g.id = gm.group_id WHERE gm.user_id IN (?) AND g.org_id = ?").bind(u.id, orgId),
    ]),
  );
  await time("membershipAddBatch (2 statements)", someUsers.slice(100, 200), (u) =>
    d1.batch([
      d1.prepare("INSERT INTO group_members (group_id, user_id, org_id) SELECT ?, j.value, ? FROM json_each(?) j WHERE true ON CONFLICT DO NOTHING").bind(groupId, orgId, JSON.stringify([u.id])),
      d1.prepare("UPDATE groups SET version = version + 1, last_modified = ? WHERE id = ? AND org_id = ?").bind(Date.now(), groupId, orgId),
    ]),
  );
  await time("userDeleteBatch (2 statements)", someUsers.slice(200, 300), (u) =>
    d1.batch([
      d1.prepare("UPDATE groups SET version = version + 1, member_count = member_count - 1 WHERE org_id = ? AND id IN (SELECT group_id FROM group_members WHERE user_id = ?)").bind(orgId, u.id),
      d1.prepare("DELETE FROM users WHERE org_id = ? AND id = ?").bind(orgId, u.id),
    ]),
  );
  const [newest] = await logStub.list({ limit: 1 }, Date.now());
  const { id: _id, ops, ...fields } = newest;
  const record = { ...fields, tokenId: fields.tokenId ?? "", operations: ops ? JSON.parse(ops) : null };
  await time("logAppend (one RPC, one entry)", Array.from({ length: 200 }), () => logStub.append([record], Date.now()));
  return c.json({
    n,
    bytes: { users, groups, memberships, logInDurableObject },
    sampleLogEntry: newest,
    msPerCall: perCall,
  });
});

/** The product app with the floor mounted; `options` are the product's injection points (src/app.ts). */
export function createBenchApp(options: AppOptions = {}) {
  const app = createApp(options);
  app.route("/bench-floor/writer", writerSwitch);
  app.route("/bench-floor/writer", sizes);
  app.route("/bench-floor", benchFloorRoutes);
  return app;
}

const app = createBenchApp({ wrapD1: (db) => (sim ? sim.topology.binding() : db), bookmarks, events: (orgId) => !eventsOff.has(orgId) });
const control = new Hono<{ Bindings: BenchEnv }>().route("/bench-topology", topologyRoutes);

/**
 * The product's OrgWriter, writing through the simulated topology when one is configured, with group
 * commit switchable per organization so that one bench run measures the same writes with it on and
 * off (bench/wrangler.toml binds this class as OrgWriter). The switch is kept in the object's storage,
 * so that it survives the object being evicted.
 */
export class OrgWriter extends ProductOrgWriter {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    // A test may still swap in an instrumented binding (test/support/group-helpers instrumentWriter).
    let real = env.DB;
    Object.defineProperty(this, "d1", { get: () => (sim ? sim.topology.writerBinding() : real), set: (d1: D1Database) => (real = d1) });
    Object.defineProperty(this, "env", { get: () => (sim ? { ...env, D1_READ_REPLICATION: replicationVar(sim) } : env) });
    void ctx.blockConcurrencyWhile(async () => {
      if ((await ctx.storage.get(GROUP_COMMIT_KEY)) === false) this.maxWritesPerBatch = 1;
      if ((await ctx.storage.get(EVENTS_KEY)) === false) this.emitsEvents = false;
    });
  }

  async setEvents(on: boolean): Promise<boolean> {
    this.emitsEvents = on;
    await this.ctx.storage.put(EVENTS_KEY, on);
    return on;
  }

  async setGroupCommit(on: boolean): Promise<boolean> {
    this.maxWritesPerBatch = on ? MAX_WRITES_PER_BATCH : 1;
    await this.ctx.storage.put(GROUP_COMMIT_KEY, on);
    return on;
  }
}

export default {
  ...product,
  fetch(request: Request, env: BenchEnv, ctx: ExecutionContext) {
    if (new URL(request.url).pathname.startsWith("/bench-topology/")) return control.fetch(request, env, ctx);
    if (!sim) return app.fetch(request, env, ctx);
    const simulated = { ...env, D1_READ_REPLICATION: replicationVar(sim), TOKEN_CACHE: delayedKv(env.TOKEN_CACHE), ORG_WRITER: delayedWriters(env.ORG_WRITER) };
    return app.fetch(request, simulated, ctx);
  },
} satisfies ExportedHandler<BenchEnv>;

/**
 * The product's ProvisioningLog (bench/wrangler.toml binds this class), with the measurement of
 * bench/sizes.ts: the bytes per entry in the object's own SQLite storage (`databaseSize`), its table
 * and index exactly as the product has them, after N copies of its newest PATCH entry (the sizes run
 * makes a JumpCloud-shaped user's requests first).
 */
export class ProvisioningLog extends ProductProvisioningLog {
  measureStorage(n: number): { before: number; after: number; bytesPerEntry: number; textBytes: number | null } {
    const sql = this.ctx.storage.sql;
    const cols = "at, method, path, query, ops, status, status_class, scim_type, detail, duration_ms, user_agent, token_id, idp";
    const sample = sql.exec<{ id: number; textBytes: number }>(
      `SELECT id, length(CAST(path AS BLOB)) + ifnull(length(CAST(query AS BLOB)), 0) + ifnull(length(CAST(ops AS BLOB)), 0)
         + ifnull(length(CAST(user_agent AS BLOB)), 0) + ifnull(length(CAST(token_id AS BLOB)), 0) AS textBytes
       FROM log ORDER BY method = 'PATCH' DESC, id DESC LIMIT 1`,
    ).toArray()[0];
    const before = sql.databaseSize;
    for (let i = 0; i < n; i++) sql.exec(`INSERT INTO log (${cols}) SELECT ${cols} FROM log WHERE id = ?`, sample?.id ?? -1);
    const after = sql.databaseSize;
    return { before, after, bytesPerEntry: (after - before) / n, textBytes: sample?.textBytes ?? null };
  }
}

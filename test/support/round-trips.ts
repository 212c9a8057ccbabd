/**
 * The round-trip meter: counts, per request, what sits on its critical path — D1 round trips to the
 * primary and ones that may be served by a read replica, KV reads, Cache API reads and writes (the
 * bookmark store), calls into the OrgWriter and the OrgWriter's own D1 round trips. Bookkeeping done
 * after the response (the provisioning log, token lastUsedAt, counters, the token cache fill) is
 * counted apart, in `background`.
 *
 * A D1 round trip is one `first`/`all`/`run`/`raw` of a statement or one `batch`. Where it goes:
 * - the plain binding: always the primary;
 * - a session `withSession("first-primary")`: its first round trip, and every write, go to the
 *   primary; later reads may go to a replica at least as new as the session;
 * - a session from a bookmark or `"first-unconstrained"`: reads may go to a replica, writes to the primary.
 */
import { createExecutionContext, env, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import type { Topology } from "../../bench/topology";
import { createApp } from "../../src/app";
import type { BookmarkStore } from "../../src/db/bookmarks";
import { orgWriter } from "../../src/org-writer/client";
import type { OrgWriter } from "../../src/org-writer/writer";
import { BACKGROUND_BOOKKEEPING, type Fetch } from "./helpers";

export interface RoundTrips {
  primary: number;
  replica: number;
  kv: number;
  cache: number;
  writer: number;
  writerDb: number;
}

export const zeroRoundTrips = (): RoundTrips => ({ primary: 0, replica: 0, kv: 0, cache: 0, writer: 0, writerDb: 0 });

const WRITE_SQL = /^\s*(insert|update|delete|replace)\b/i;

type Target = "primary" | "session-first-primary" | "session-replica";

/**
 * The SQL of every statement a meter prepared, shared by all meters: a write's batch runs through a
 * session (db/bookmarks primaryWithBookmark) with statements prepared on the binding's meter.
 */
const sqlOf = new WeakMap<D1PreparedStatement, string>();

/**
 * Wraps a D1 binding (or session) so that every round trip is reported to `count` with where it may
 * go. Statements are patched in place (not proxied): `batch` needs the runtime's own objects.
 */
export function meteredD1(inner: D1Database, count: (where: "primary" | "replica" | "background") => void, target: Target = "primary"): D1Database {
  let touched = false;
  const where = (sql: string[]): "primary" | "replica" | "background" => {
    if (sql.length && sql.every((s) => BACKGROUND_BOOKKEEPING.test(s))) return "background";
    const writes = sql.some((s) => WRITE_SQL.test(s));
    const first = !touched;
    touched = true;
    if (target === "primary" || writes) return "primary";
    if (target === "session-first-primary" && first) return "primary";
    return "replica";
  };
  const patch = (statement: D1PreparedStatement, sql: string): D1PreparedStatement => {
    sqlOf.set(statement, sql);
    const bind = statement.bind.bind(statement);
    statement.bind = (...values: unknown[]) => patch(bind(...values), sql);
    for (const method of ["first", "all", "run", "raw"] as const) {
      const original = (statement[method] as (...args: unknown[]) => Promise<unknown>).bind(statement);
      (statement as unknown as Record<string, unknown>)[method] = (...args: unknown[]) => {
        count(where([sql]));
        return original(...args);
      };
    }
    return statement;
  };
  return new Proxy(inner, {
    get(object, prop) {
      if (prop === "prepare") return (sql: string) => patch(object.prepare(sql), sql);
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          count(where(statements.map((s) => sqlOf.get(s) ?? "")));
          return object.batch(statements);
        };
      }
      if (prop === "withSession") {
        return (constraint?: string) => {
          const session = object.withSession(constraint) as unknown as D1Database;
          return meteredD1(session, count, constraint === "first-primary" || constraint === undefined ? "session-first-primary" : "session-replica");
        };
      }
      const value = Reflect.get(object, prop);
      return typeof value === "function" ? value.bind(object) : value;
    },
  });
}

/** A bookmark store in memory (what the Cache API does in one location), or one that always misses. */
export function memoryBookmarks(options: { alwaysMiss?: boolean } = {}): BookmarkStore & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    async get(orgId) {
      return options.alwaysMiss ? null : (entries.get(orgId) ?? null);
    },
    async put(orgId, bookmark) {
      entries.set(orgId, bookmark);
    },
  };
}

export interface Meter {
  /** Sends through an app whose D1, KV, bookmark store and OrgWriter are all metered. */
  send: Fetch;
  /** Meters the org's OrgWriter's own D1 (call once per org, before measuring). */
  meterWriter(orgId: string): Promise<void>;
  /** The counts of one request: critical path and, apart, what ran after the response. */
  measure(run: () => Promise<unknown>): Promise<{ critical: RoundTrips; background: RoundTrips }>;
}

export interface MeterOptions {
  /** Read replication on, over this simulated topology (bench/topology.ts) instead of the plain D1. */
  topology?: Topology;
  bookmarks?: BookmarkStore;
}

export function roundTripMeter(options: MeterOptions = {}): Meter {
  const topology = options.topology;
  let counts = zeroRoundTrips();
  let background = zeroRoundTrips();
  let afterResponse = false;
  const add = (key: keyof RoundTrips | "background", writer = false) => {
    if (key === "background") {
      background[writer ? "writerDb" : "primary"]++;
      return;
    }
    (afterResponse ? background : counts)[key]++;
  };
  const countD1 = (where: "primary" | "replica" | "background") => add(where);
  const countWriterD1 = (where: "primary" | "replica" | "background") => add(where === "background" ? "background" : "writerDb", true);

  const kv = new Proxy(env.TOKEN_CACHE, {
    get(object, prop) {
      const value = Reflect.get(object, prop);
      if (prop === "get") {
        return (...args: unknown[]) => {
          add("kv");
          return (value as (...a: unknown[]) => unknown).apply(object, args);
        };
      }
      return typeof value === "function" ? value.bind(object) : value;
    },
  });

  const stubOf = (stub: DurableObjectStub) =>
    new Proxy(stub, {
      get(object, prop) {
        const value = Reflect.get(object, prop);
        if (typeof prop === "string" && ["createGroup", "replaceGroup", "patchGroup", "deleteGroup", "deleteUser"].includes(prop)) {
          return (...args: unknown[]) => {
            add("writer");
            return (value as (...a: unknown[]) => unknown)(...args);
          };
        }
        return value;
      },
    });
  const writers = new Proxy(env.ORG_WRITER, {
    get(object, prop) {
      const value = Reflect.get(object, prop);
      if (prop === "get") return (...args: unknown[]) => stubOf((value as (...a: unknown[]) => DurableObjectStub).apply(object, args));
      return typeof value === "function" ? value.bind(object) : value;
    },
  });

  const inner = options.bookmarks ?? memoryBookmarks();
  const bookmarks: BookmarkStore = {
    get(orgId) {
      add("cache");
      return inner.get(orgId);
    },
    put(orgId, bookmark) {
      add("cache");
      return inner.put(orgId, bookmark);
    },
  };

  const app = createApp({ wrapD1: (db) => meteredD1(topology ? topology.binding() : db, countD1), bookmarks });
  const replication = topology ? "on" : "off";
  const testEnv = { ...env, TOKEN_CACHE: kv, ORG_WRITER: writers, D1_READ_REPLICATION: replication } as typeof env;
  const send: Fetch = async (request) => {
    afterResponse = false;
    const ctx = createExecutionContext();
    const response = await app.fetch(request, testEnv, ctx);
    // The body is part of the critical path (a group's members stream as it is read).
    const body = await response.arrayBuffer();
    afterResponse = true;
    await waitOnExecutionContext(ctx);
    return new Response(response.status === 204 || response.status === 304 ? null : body, response);
  };

  return {
    send,
    async meterWriter(orgId) {
      await runInDurableObject(orgWriter(env, orgId), (object) => {
        const instance = object as unknown as OrgWriter & { env: typeof env };
        instance.env = { ...env, D1_READ_REPLICATION: replication };
        instance.d1 = meteredD1(topology ? topology.writerBinding() : env.DB, countWriterD1);
      });
    },
    async measure(run) {
      // A replica that has caught up: what is counted is where reads go, not how long they wait.
      await topology?.catchUp();
      counts = zeroRoundTrips();
      background = zeroRoundTrips();
      await run();
      const measured = { critical: counts, background };
      // Anything after this (the next request) counts into fresh objects.
      counts = zeroRoundTrips();
      background = zeroRoundTrips();
      return measured;
    },
  };
}

/**
 * The provisioning log's storage from a test's side: each organization's ProvisioningLog Durable
 * Object, its raw rows and SQL, and a PROVISIONING_LOG binding that counts (and can hold back) the
 * calls the app makes to it.
 */
import { env, runInDurableObject } from "cloudflare:test";
import type { ProvisioningLog } from "../../src/provisioning-log/durable-object";
import { provisioningLogOf } from "../../src/provisioning-log/store";

export function logObject(orgId: string): DurableObjectStub<ProvisioningLog> {
  return provisioningLogOf(env, orgId);
}

/** Runs `work` on the org's log object's SQLite storage, inside the object. */
export function inLogStorage<R>(orgId: string, work: (sql: SqlStorage, state: DurableObjectState) => R | Promise<R>): Promise<R> {
  return runInDurableObject(logObject(orgId), (_instance, state) => work(state.storage.sql, state));
}

/** The org's stored entries as rows (column names of the object's table), oldest first. */
export function rawLogRows(orgId: string): Promise<Record<string, SqlStorageValue>[]> {
  return inLogStorage(orgId, (sql) => sql.exec("SELECT * FROM log ORDER BY id").toArray());
}

export async function storedPaths(orgId: string): Promise<string[]> {
  return (await rawLogRows(orgId)).map((r) => r.path as string);
}

/**
 * Inserts `count` entries straight into the org's log, paths /seed/1 … /seed/count, oldest first, all
 * made at `at` (no retention runs: it is what the test then checks).
 */
export function seedLog(orgId: string, count: number, at: number): Promise<void> {
  return inLogStorage(orgId, (sql) => {
    sql.exec(
      `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
       INSERT INTO log (at, method, path, status, status_class, duration_ms) SELECT ?2, 'GET', '/seed/' || i, 200, 2, 0 FROM n`,
      count,
      at,
    );
  });
}

/**
 * A PROVISIONING_LOG binding that records every call the app makes to a log object (method, org,
 * number of entries appended; append, list and tokenStatuses) and, with `holdAppends`, holds each append back until open() is called,
 * so that a test can observe what a response does not wait for.
 */
export function instrumentedLogs(options: { holdAppends?: boolean } = {}) {
  let release!: () => void;
  const opened = options.holdAppends ? new Promise<void>((resolve) => (release = resolve)) : Promise.resolve();
  const calls: { method: string; name: string; entries?: number }[] = [];
  const namesById = new Map<string, string>();
  let held = 0;
  const namespace = env.PROVISIONING_LOG;
  const stubOf = (stub: DurableObjectStub<ProvisioningLog>, name: string) =>
    new Proxy(stub, {
      get(target, prop) {
        const value = Reflect.get(target, prop);
        if (prop === "append") {
          return async (records: unknown[], now: number) => {
            calls.push({ method: "append", name, entries: records.length });
            held++;
            await opened;
            return target.append(records as Parameters<ProvisioningLog["append"]>[0], now);
          };
        }
        if (prop === "list") {
          return (...args: Parameters<ProvisioningLog["list"]>) => {
            calls.push({ method: "list", name });
            return target.list(...args);
          };
        }
        if (prop === "tokenStatuses") {
          return (...args: Parameters<ProvisioningLog["tokenStatuses"]>) => {
            calls.push({ method: "tokenStatuses", name });
            return target.tokenStatuses(...args);
          };
        }
        return value;
      },
    });
  const binding = new Proxy(namespace, {
    get(target, prop) {
      if (prop === "idFromName") {
        return (name: string) => {
          const id = target.idFromName(name);
          namesById.set(id.toString(), name);
          return id;
        };
      }
      if (prop === "get") {
        return (id: DurableObjectId, ...rest: unknown[]) =>
          stubOf((target.get as (...a: unknown[]) => DurableObjectStub<ProvisioningLog>)(id, ...rest), namesById.get(id.toString()) ?? "?");
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    binding,
    calls,
    appends: () => calls.filter((c) => c.method === "append"),
    held: () => held,
    open: () => release?.(),
    reset: () => (calls.length = 0),
  };
}

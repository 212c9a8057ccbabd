/** Helpers for the admin API's directory lists (users, groups, a group's members). */
import { env } from "cloudflare:test";
import { expect } from "vitest";
import { admin, type Fetch } from "./helpers";

export type Params = Record<string, string | number | undefined>;

/** GET an admin API path with query parameters (undefined ones left out). */
export function adminGet(path: string, params: Params = {}, send?: Fetch) {
  const query = new URLSearchParams(
    Object.entries(params).flatMap(([k, v]): [string, string][] => (v === undefined ? [] : [[k, String(v)]])),
  ).toString();
  return admin("GET", `${path}${query ? `?${query}` : ""}`, undefined, send);
}

/**
 * Every item a list yields, following nextCursor to the end; `key` names the array in the body.
 * `between` runs after each page, to change the data while someone pages.
 */
export async function collectPages<T = any>(
  path: string,
  key: string,
  params: Params = {},
  options: { send?: Fetch; between?: (page: number) => Promise<void> } = {},
): Promise<T[]> {
  const items: T[] = [];
  let cursor: string | null = null;
  let page = 0;
  do {
    const res = await adminGet(path, { ...params, ...(cursor ? { cursor } : {}) }, options.send);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    items.push(...res.body[key]);
    cursor = res.body.nextCursor;
    await options.between?.(++page);
  } while (cursor);
  return items;
}

/** The query plan SQLite chooses for a statement with these parameters, one detail per line. */
export async function queryPlan(query: string, params: unknown[]): Promise<string> {
  const rows = await env.DB.prepare(`EXPLAIN QUERY PLAN ${query}`)
    .bind(...params)
    .all<{ detail: string }>();
  return rows.results.map((r) => r.detail).join("\n");
}

/**
 * A D1 binding that remembers each statement it prepares with the parameters bound to it, so that a
 * test can ask SQLite how it runs them.
 */
export function recordingD1(inner: D1Database, keep: RegExp) {
  const statements = new Map<string, unknown[]>();
  const d1 = new Proxy(inner, {
    get(target, prop) {
      if (prop === "prepare") {
        return (query: string) => {
          const statement = target.prepare(query);
          if (!keep.test(query)) return statement;
          return new Proxy(statement, {
            get(s, p) {
              if (p === "bind") {
                return (...params: unknown[]) => {
                  statements.set(query, params);
                  return s.bind(...params);
                };
              }
              const value = Reflect.get(s, p);
              return typeof value === "function" ? value.bind(s) : value;
            },
          });
        };
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { d1, statements };
}

/** Shared test helpers: admin API and SCIM calls through the real Worker, and D1 instrumentation. */
import { createExecutionContext, env, SELF, waitOnExecutionContext } from "cloudflare:test";
import { expect } from "vitest";
import { createApp } from "../../src/app";
import type { Clock } from "../../src/lib/clock";

export const ORIGIN = "https://scim.test";

/**
 * Timeout of the few tests whose work is inherently large: hundreds of requests (concurrency, fuzzing)
 * or 50,000-member groups. They take 1–4 s on an idle 2-core machine and up to ~20× that on one loaded
 * to a load average of 10–14 (measured, issue 11); 180 s leaves room. Everything else runs under the
 * project default (vitest.config.ts).
 */
export const HEAVY_TEST_TIMEOUT = 180_000;
export const ADMIN_HEADERS = { Authorization: `Bearer ${env.ADMIN_TOKEN}`, "Content-Type": "application/json" };

export type Fetch = (request: Request) => Promise<Response>;

/** Sends requests through the deployed entry point (SELF). */
export const viaWorker: Fetch = (request) => SELF.fetch(request);

/**
 * Sends requests through an app built with injected dependencies, waiting for its ctx.waitUntil work,
 * so that a test observes background writes (cache fills, lastUsedAt) deterministically.
 */
export function viaApp(options: { clock?: Clock; env?: Partial<Cloudflare.Env> } = {}): Fetch {
  const app = createApp({ clock: options.clock });
  return async (request) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, { ...env, ...options.env }, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

export function request(method: string, path: string, init: { body?: unknown; headers?: Record<string, string> } = {}) {
  const body = init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body);
  return new Request(`${ORIGIN}${path}`, { method, headers: init.headers, body });
}

export async function admin(method: string, path: string, body?: unknown, send: Fetch = viaWorker) {
  const res = await send(request(method, `/api/v1${path}`, { body, headers: ADMIN_HEADERS }));
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

export interface ScimClient {
  orgId: string;
  token: string;
  tokenId: string;
  scimUrl: string;
  /** Sends a SCIM request with this org's token; `path` is relative to /scim/v2. */
  call(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; body: any }>;
}

let orgCounter = 0;

/** Creates an org with SCIM enabled and a fresh token. */
export async function newScimOrg(options: { name?: string; send?: Fetch; enabled?: boolean } = {}): Promise<ScimClient> {
  const send = options.send ?? viaWorker;
  const org = await admin("POST", "/orgs", { name: options.name ?? `Org ${++orgCounter}` }, send);
  if (options.enabled !== false) await admin("PATCH", `/orgs/${org.body.id}/scim`, { enabled: true }, send);
  const minted = await admin("POST", `/orgs/${org.body.id}/scim/tokens`, { description: "test", ttlDays: 30 }, send);
  return scimClient(org.body.id, minted.body.token, minted.body.id, minted.body.scimUrl, send);
}

export function scimClient(orgId: string, token: string, tokenId: string, scimUrl: string, send: Fetch = viaWorker): ScimClient {
  return {
    orgId,
    token,
    tokenId,
    scimUrl,
    async call(method, path, body, headers = {}) {
      const res = await send(
        request(method, `/scim/v2${path}`, {
          body,
          headers: {
            Authorization: `Bearer ${token}`,
            ...(body !== undefined ? { "Content-Type": "application/scim+json" } : {}),
            ...headers,
          },
        }),
      );
      const text = await res.text();
      let parsed: unknown = text;
      try {
        parsed = text ? JSON.parse(text) : undefined;
      } catch {
        // leave non-JSON bodies as text
      }
      return { status: res.status, headers: res.headers, body: parsed };
    },
  };
}

/** Sends a body exactly as given (a string body is never re-encoded) with the given Content-Type. */
export function rawCall(client: ScimClient, method: string, path: string, body: string, contentType = "application/scim+json") {
  return client.call(method, path, body, { "Content-Type": contentType });
}

/** What every list answers when nothing matches: 200 with an empty ListResponse, never 404. */
export const EMPTY_LIST = {
  schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"],
  totalResults: 0,
  startIndex: 1,
  itemsPerPage: 0,
  Resources: [],
};

/**
 * D1 work after the response (operator counters, token lastUsedAt, and a write's events hand-off,
 * which reads the org's webhook endpoint ids to poke them): fixed per request and off the response
 * path, so statement-count tests leave it out by default. (The provisioning log and the tokens'
 * connection-status counters are not in D1: each org's ProvisioningLog object keeps them.)
 */
export const BACKGROUND_BOOKKEEPING = /\bcounters\b|last_used_at|^SELECT id FROM webhooks WHERE org_id = \?$/;

/** A D1 binding that records every statement it prepares and every batch it runs. */
export function countingD1(inner: D1Database, options: { ignore?: RegExp | null } = {}) {
  const ignore = options.ignore === undefined ? BACKGROUND_BOOKKEEPING : options.ignore;
  const log = { statements: [] as string[], batches: [] as number[] };
  const ignored = new WeakSet<D1PreparedStatement>();
  const d1 = new Proxy(inner, {
    get(target, prop, receiver) {
      if (prop === "prepare") {
        return (query: string) => {
          const statement = target.prepare(query);
          if (ignore?.test(query)) {
            // bind() returns a new statement; remember those too, so that batches can leave them out.
            const bind = statement.bind.bind(statement);
            statement.bind = (...values: unknown[]) => {
              const bound = bind(...values);
              ignored.add(bound);
              return bound;
            };
            ignored.add(statement);
          } else {
            log.statements.push(query);
          }
          return statement;
        };
      }
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) => {
          const counted = statements.filter((s) => !ignored.has(s)).length;
          if (counted > 0) log.batches.push(counted);
          return target.batch(statements);
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    d1,
    log,
    reset() {
      log.statements.length = 0;
      log.batches.length = 0;
    },
  };
}

/**
 * An org whose requests run on a D1 wrapper that counts statements, and `measure`, which counts those
 * of one GET (warm the token cache with a first request before measuring).
 */
export async function countingScimOrg() {
  const counting = countingD1(env.DB);
  const org = await newScimOrg({ send: viaApp({ env: { DB: counting.d1 } }) });
  const measure = async (path: string) => {
    counting.reset();
    const res = await org.call("GET", path);
    expect(res.status, path).toBe(200);
    return { statements: counting.log.statements.length, batches: [...counting.log.batches], body: res.body };
  };
  return { org, counting, measure };
}

/** A clock a test moves by hand. */
export function manualClock(start = Date.UTC(2026, 0, 1)) {
  let now = start;
  const clock: Clock = () => now;
  return {
    clock,
    advance(ms: number) {
      now += ms;
    },
    set(ms: number) {
      now = ms;
    },
  };
}

export function expectScimError(res: { status: number; headers: Headers; body: any }, status: number, scimType?: string) {
  const problems: string[] = [];
  if (res.status !== status) problems.push(`status ${res.status} != ${status}`);
  if (!res.headers.get("Content-Type")?.startsWith("application/scim+json")) {
    problems.push(`content-type ${res.headers.get("Content-Type")}`);
  }
  const body = res.body ?? {};
  if (body.status !== String(status)) problems.push(`body.status ${JSON.stringify(body.status)}`);
  if (!Array.isArray(body.schemas) || body.schemas[0] !== "urn:ietf:params:scim:api:messages:2.0:Error") {
    problems.push("schemas");
  }
  if (typeof body.detail !== "string" || body.detail.length === 0) problems.push("detail");
  if (scimType !== undefined && body.scimType !== scimType) problems.push(`scimType ${body.scimType} != ${scimType}`);
  if (problems.length) throw new Error(`not the expected SCIM error: ${problems.join(", ")}\n${JSON.stringify(body)}`);
}

export interface ConsoleSession {
  /** The session id (the cookie's value). */
  id: string;
  /** `Cookie` header value. */
  cookie: string;
  csrfToken: string;
  setCookie: string;
}

/** Signs in to the console with the operator token, as the sign-in page does. */
export async function consoleSignIn(send: Fetch = viaWorker): Promise<ConsoleSession> {
  const res = await send(request("POST", "/api/v1/console/session", { headers: { Authorization: `Bearer ${env.ADMIN_TOKEN}` } }));
  if (res.status !== 201) throw new Error(`console sign-in failed: ${res.status} ${await res.text()}`);
  const setCookie = res.headers.get("Set-Cookie") ?? "";
  const id = /^edge_scim_console=([^;]+)/.exec(setCookie)![1];
  const { csrfToken } = await res.json<{ csrfToken: string }>();
  return { id, cookie: `edge_scim_console=${id}`, csrfToken, setCookie };
}

/**
 * A request as a console page's script sends it: the session cookie, plus (when given) the CSRF
 * token, and an Origin that is the service's unless overridden (`null`: no Origin header).
 */
export function asConsole(
  session: Pick<ConsoleSession, "cookie">,
  method: string,
  path: string,
  options: { body?: unknown; csrf?: string; origin?: string | null } = {},
) {
  const headers: Record<string, string> = { Cookie: session.cookie };
  if (options.body !== undefined) headers["Content-Type"] = "application/json";
  if (options.csrf !== undefined) headers["X-CSRF-Token"] = options.csrf;
  if (options.origin !== null) headers.Origin = options.origin ?? ORIGIN;
  return request(method, path, { body: options.body, headers });
}

/**
 * Sends every request through an app with these env overrides, as if addressed to `origin`: the
 * Host header decides the URL a Worker sees, so this is what a client choosing its Host does.
 */
export function addressedTo(origin: string, env: Partial<Cloudflare.Env> = {}): Fetch {
  const send = viaApp({ env });
  return (req) => {
    const url = new URL(req.url);
    return send(new Request(`${origin}${url.pathname}${url.search}`, req));
  };
}

/** An HTTP client for the benchmark that times every request and keeps score of statuses. */
import { performance } from "node:perf_hooks";

export interface Timed<T = any> {
  status: number;
  body: T;
  ms: number;
  headers: Headers;
}

export class BenchClient {
  readonly statuses = new Map<number, number>();
  readonly serverErrors: string[] = [];

  constructor(
    readonly baseUrl: string,
    private readonly adminToken: string,
    private scimToken = "",
  ) {}

  useScimToken(token: string) {
    this.scimToken = token;
  }

  private async send(method: string, url: string, token: string, body?: unknown, contentType = "application/scim+json") {
    const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
    if (body !== undefined) headers["Content-Type"] = contentType;
    const started = performance.now();
    const res = await fetch(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    const ms = performance.now() - started;
    this.statuses.set(res.status, (this.statuses.get(res.status) ?? 0) + 1);
    if (res.status >= 500) this.serverErrors.push(`${method} ${url} → ${res.status} ${text.slice(0, 300)}`);
    let parsed: unknown = undefined;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: res.status, body: parsed as any, ms, headers: res.headers } satisfies Timed;
  }

  /** A SCIM request; `path` is relative to /scim/v2. Throws when the status is not one expected. */
  async scim(method: string, path: string, body?: unknown, expected: number[] = [200, 201, 204]): Promise<Timed> {
    const res = await this.send(method, `${this.baseUrl}/scim/v2${path}`, this.scimToken, body);
    if (!expected.includes(res.status)) {
      throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    }
    return res;
  }

  /** A floor request (bench/floor.ts, mounted only by the bench's Worker); same auth as SCIM. */
  async floor(method: string, path: string, body?: unknown, expected: number[] = [200, 201, 204]): Promise<Timed> {
    const res = await this.send(method, `${this.baseUrl}/bench-floor${path}`, this.scimToken, body, "application/json");
    if (!expected.includes(res.status)) {
      throw new Error(`floor ${method} ${path} → ${res.status} ${JSON.stringify(res.body).slice(0, 500)}`);
    }
    return res;
  }

  async admin(method: string, path: string, body?: unknown): Promise<any> {
    const res = await this.send(method, `${this.baseUrl}/api/v1${path}`, this.adminToken, body, "application/json");
    if (res.status >= 300) throw new Error(`admin ${method} ${path} → ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}

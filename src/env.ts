import type { OrgWriter } from "./org-writer/writer";

/** Bindings and variables the Worker is configured with (see wrangler.toml and .dev.vars). */
export interface Env {
  DB: D1Database;
  TOKEN_CACHE: KVNamespace;
  ORG_WRITER: DurableObjectNamespace<OrgWriter>;
  /** Operator credential; admin requests fail closed when it is unset or shorter than 32 characters. */
  ADMIN_TOKEN?: string;
  /**
   * The service's public URL: scimUrl, Location, $ref and setup links point there. Without it the
   * request's origin is used on loopback hosts only, and no setup link is minted (src/routes/origin.ts).
   */
  PUBLIC_ORIGIN?: string;
  /**
   * Where the D1 database lives (the `--location` given to `wrangler d1 create`); OrgWriter Durable
   * Objects are created with it as their locationHint.
   */
  D1_LOCATION?: string;
  SETUP_WEBHOOK_URL?: string;
  SETUP_WEBHOOK_SECRET?: string;
  /** Rate-limit levels (wrangler.toml [[ratelimits]]; src/services/rate-limits.ts). Absent: no limit. */
  RATE_LIMIT_STANDARD_READ?: RateLimit;
  RATE_LIMIT_STANDARD_WRITE?: RateLimit;
  RATE_LIMIT_HIGH_READ?: RateLimit;
  RATE_LIMIT_HIGH_WRITE?: RateLimit;
  RATE_LIMIT_RESTRICTED?: RateLimit;
  /** Mounts the benchmark's floor routes; only `npm run bench` sets it. */
  BENCH_FLOOR?: string;
}

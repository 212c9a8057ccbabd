import type { OrgWriter } from "./org-writer/writer";

/** Bindings and variables the Worker is configured with (see wrangler.toml and .dev.vars). */
export interface Env {
  DB: D1Database;
  TOKEN_CACHE: KVNamespace;
  ORG_WRITER: DurableObjectNamespace<OrgWriter>;
  /** Operator credential; admin requests fail closed when it is unset or shorter than 32 characters. */
  ADMIN_TOKEN?: string;
  /** Overrides the request origin in scimUrl, Location and $ref (custom domains). */
  PUBLIC_ORIGIN?: string;
  /**
   * Where the D1 database lives (the `--location` given to `wrangler d1 create`); OrgWriter Durable
   * Objects are created with it as their locationHint.
   */
  D1_LOCATION?: string;
  /**
   * Signs RFC 9865 cursors (at least 32 characters). Without it, cursor pagination is unavailable:
   * ServiceProviderConfig says `cursor: false` and a request with `cursor` gets 501.
   */
  CURSOR_SECRET?: string;
  SETUP_WEBHOOK_URL?: string;
  SETUP_WEBHOOK_SECRET?: string;
  /** Mounts the benchmark's floor routes; only `npm run bench` sets it. */
  BENCH_FLOOR?: string;
}

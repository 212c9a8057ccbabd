/**
 * Where the provisioning log is kept, behind one interface: the request path appends (from
 * ctx.waitUntil, through ./writer.ts's group commit) and the log API lists. The one implementation
 * is per-organization Durable Object storage (./durable-object.ts, binding PROVISIONING_LOG): one
 * object per organization, addressed by `idFromName(orgId)`, one RPC per call. The D1 table
 * `scim_log` is no longer written or read (docs/scale.md, "The provisioning log").
 */
import type { Env } from "../env";
import type { LogEntry, LogQuery } from "./entry";
import type { LogRecord } from "./record";
import type { TokenStatus } from "./token-activity";

export type { LogEntry, LogQuery, TokenStatus };

export interface LogStore {
  /** Adds entries of one organization, oldest first; `now` is the caller's clock (retention runs in it). */
  append(orgId: string, records: LogRecord[], now: number): Promise<void>;
  /** One page of the organization's log, newest first, never older than the age limit at `now`. */
  list(orgId: string, query: LogQuery, now: number): Promise<LogEntry[]>;
  /**
   * The connection status of every token the organization's log has seen (./token-activity.ts): kept
   * by the same object and written by the same appends, so it costs the request path nothing.
   */
  tokenStatuses(orgId: string, now: number): Promise<TokenStatus[]>;
}

/** The organization's log object. */
export function provisioningLogOf(env: Pick<Env, "PROVISIONING_LOG">, orgId: string) {
  return env.PROVISIONING_LOG.get(env.PROVISIONING_LOG.idFromName(orgId));
}

export function durableObjectLogStore(env: Pick<Env, "PROVISIONING_LOG">): LogStore {
  return {
    async append(orgId, records, now) {
      await provisioningLogOf(env, orgId).append(
        records.map(({ orgId: _org, ...stored }) => stored),
        now,
      );
    },
    async list(orgId, query, now) {
      return provisioningLogOf(env, orgId).list(query, now);
    },
    async tokenStatuses(orgId, now) {
      return provisioningLogOf(env, orgId).tokenStatuses(now);
    },
  };
}

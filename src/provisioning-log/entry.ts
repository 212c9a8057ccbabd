/** What the log stores of one request and how it is asked for: the shapes its store and its Durable Object share. */
import type { LogRecord } from "./record";

/** A record as the organization's log keeps it: the org is the log itself, so it is not repeated. */
export type StoredRecord = Omit<LogRecord, "orgId">;

/** An entry as read back. `id` increases with every entry the org's log has ever written (the keyset cursor). */
export type LogEntry = {
  id: number;
  at: number;
  method: string;
  path: string;
  query: string | null;
  /** PATCH op/path summary as JSON, e.g. {"count":1,"items":[{"op":"replace","path":"active"}]}. */
  ops: string | null;
  status: number;
  scimType: string | null;
  detail: string | null;
  durationMs: number;
  userAgent: string | null;
  tokenId: string | null;
  /** Recognised from the request; null when it was not (the API then shows the token's description). */
  idp: string | null;
};

export interface LogQuery {
  statusClass?: number;
  /** Only one token's entries (read along the log's id order, at most the 10,000 entries an org keeps). */
  tokenId?: string;
  /** Only entries with a smaller id (the keyset cursor). */
  beforeId?: number;
  limit: number;
}

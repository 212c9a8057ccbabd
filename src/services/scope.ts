/** What every directory operation runs against: the token's organization, its database and its writer. */
import type { Db } from "../db/client";
import type { OrgWriter } from "../org-writer/writer";

export interface OrgScope {
  /** The primary: writes, and the reads a write decides on. */
  db: Db;
  /**
   * Reads that answer a request: with read replication on, a D1 session a nearby replica may serve;
   * otherwise `db` itself.
   */
  reads: Db;
  /**
   * Where a read that found nothing on `reads` is confirmed before the answer is "absent"; undefined
   * when `reads` is already authoritative (the primary, or a session that started there).
   */
  confirmAbsent?: Db;
  orgId: string;
  now: () => number;
  /** The SCIM base URL events render their resources' locations with (`<origin>/scim/v2`). */
  baseUrl: string;
  /**
   * Whether writes store their directory events (the outbox, src/db/events.ts). Always on in the
   * product; the benchmark turns it off to measure what the outbox costs.
   */
  events: boolean;
  /** The organization's OrgWriter, through which group writes, membership writes and user deletion go. */
  writer: () => DurableObjectStub<OrgWriter>;
}

/**
 * A read on `scope.reads`, repeated on the primary when it found nothing there and `reads` may lag
 * (a replica's session): replica lag must never answer "absent" for something that exists.
 */
export async function readConfirmed<T>(scope: OrgScope, read: (db: Db) => Promise<T>, absent: (result: T) => boolean): Promise<T> {
  const result = await read(scope.reads);
  if (scope.confirmAbsent && absent(result)) return read(scope.confirmAbsent);
  return result;
}

/** Events are kept 30 days; the scheduled handler deletes older ones in bounded chunks. */
import { pruneEvents } from "../db/events";
import { EVENT_RETENTION_MS } from "./pull";

/** At most this many chunks per run, so one run stays within a Worker invocation's limits. */
const MAX_CHUNKS_PER_RUN = 20;
const CHUNK = 5000;

export async function pruneExpiredEvents(d1: D1Database, now: number): Promise<number> {
  let total = 0;
  for (let i = 0; i < MAX_CHUNKS_PER_RUN; i++) {
    const deleted = await pruneEvents(d1, now - EVENT_RETENTION_MS, CHUNK);
    total += deleted;
    if (deleted < CHUNK) break;
  }
  return total;
}

/**
 * The pull side of the event stream: a consumer reads an org's events in sequence order from a
 * cursor, and polls from the `nextCursor` of the last page (given even when the page is empty or
 * short, so a consumer never has to remember anything else). A cursor is a position in the stream;
 * one from before what the 30-day retention kept has missed events and is refused (410).
 */
import { readEventPage } from "../db/events";
import { toDirectoryEvent, type DirectoryEvent } from "./model";

/** Events are kept this long (src/events/retention.ts). */
export const EVENT_RETENTION_MS = 30 * 24 * 60 * 60 * 1000;
export const MAX_PULL_LIMIT = 500;

export type PullResult =
  | { ok: true; events: DirectoryEvent[]; next: number }
  | { ok: false; reason: "expired"; prunedThrough: number }
  | { ok: false; reason: "ahead"; last: number };

/**
 * A page after position `after` (undefined: the oldest event kept). `next` is the position to go on
 * from: the last event returned when the page is full, otherwise the stream's end as it was read —
 * nothing committed later can take a number at or below it, so a consumer filtering by type skips
 * the events it does not want for good.
 */
export async function pullEvents(d1: D1Database, orgId: string, after: number | undefined, limit: number, types?: string[]): Promise<PullResult> {
  const page = await readEventPage(d1, orgId, after, limit, types);
  if (after !== undefined && after < page.prunedThrough) return { ok: false, reason: "expired", prunedThrough: page.prunedThrough };
  if (after !== undefined && after > page.last) return { ok: false, reason: "ahead", last: page.last };
  const events = page.events.map(toDirectoryEvent);
  const full = events.length === limit;
  const next = full ? events[events.length - 1].sequence : Math.max(page.last, after ?? 0);
  return { ok: true, events, next };
}

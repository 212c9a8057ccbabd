/**
 * How much of a rate-limited flood the log keeps. A runaway identity provider answered 429 would
 * otherwise turn every refused request into a log write to the organization's log object, and push
 * the requests worth reading out of the 10,000 entries it keeps. So, per organization and Worker
 * isolate, one 429 entry is recorded per RATE_LIMITED_LOG_INTERVAL_MS; it says how many were refused,
 * unrecorded, before it.
 */
export const RATE_LIMITED_LOG_INTERVAL_MS = 10_000;
const MAX_TRACKED_ORGS = 10_000;

const lastRecorded = new Map<string, { at: number; unrecorded: number }>();

export type RateLimitedDecision = { record: false } | { record: true; unrecorded: number };

export function rateLimitedEntry(orgId: string, now: number): RateLimitedDecision {
  const seen = lastRecorded.get(orgId);
  if (seen && now - seen.at < RATE_LIMITED_LOG_INTERVAL_MS && now >= seen.at) {
    seen.unrecorded += 1;
    return { record: false };
  }
  if (lastRecorded.size >= MAX_TRACKED_ORGS) lastRecorded.clear();
  lastRecorded.set(orgId, { at: now, unrecorded: 0 });
  return { record: true, unrecorded: seen?.unrecorded ?? 0 };
}

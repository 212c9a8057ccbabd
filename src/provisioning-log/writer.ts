/**
 * How an entry reaches storage: concurrent requests' entries of one organization share one call to
 * its log (group commit per organization, see src/lib/group-commit.ts), which adds them in one
 * transaction and applies retention in the same one (./durable-object.ts).
 */
import { groupCommitPerKey } from "../lib/group-commit";
import type { LogRecord } from "./record";
import type { LogStore } from "./store";

/** Records one entry; resolves once the write that carries it has landed (call it after the response). */
export const recordEntry = groupCommitPerKey<LogRecord, LogStore>(
  (record) => record.orgId,
  (records, store) => {
    // The batch's "now": when its last request ended, on the requests' clock.
    const now = records.reduce((latest, r) => Math.max(latest, r.at + r.durationMs), 0);
    return store.append(records[0].orgId, records, now);
  },
);

/**
 * Group commit for after-response writes within one isolate.
 *
 * Used by the provisioning log (src/provisioning-log/writer.ts): every SCIM request writes a log
 * entry. One call to the organization's log object per request would turn a busy sync into as many
 * calls, so concurrent entries are written together: the first submitter writes at once; entries
 * submitted while that write is in flight wait for it and then go together in the next write, led by
 * whichever of them runs first.
 *
 * Each submitter awaits its own entry's write from its own ctx.waitUntil, and the leader of a write
 * is always one of the requests whose entries it carries, so the request context that performs the
 * I/O stays alive until the write ends; followers only await a promise it settles (cross-request
 * promise resolution, which workerd supports while the resolving request is alive). No entry can be
 * stranded in memory by a request that has already finished.
 */
export type Flush<T, C> = (items: T[], context: C) => Promise<void>;

interface Waiter<T> {
  item: T;
  outcome?: { ok: true } | { ok: false; error: unknown };
}

export function groupCommit<T, C>(flush: Flush<T, C>) {
  let queue: Waiter<T>[] = [];
  let inFlight: Promise<void> | null = null;

  const settled = (w: Waiter<T>) => {
    if (!w.outcome) return false;
    if (!w.outcome.ok) throw w.outcome.error;
    return true;
  };

  return async function submit(item: T, context: C): Promise<void> {
    const waiter: Waiter<T> = { item };
    queue.push(waiter);
    while (inFlight) {
      await inFlight.catch(() => {});
      if (settled(waiter)) return;
    }
    if (settled(waiter)) return;
    // Lead the next write: it carries everything queued so far, this entry included.
    const batch = queue;
    queue = [];
    const write = flush(
      batch.map((w) => w.item),
      context,
    ).then(
      () => batch.forEach((w) => (w.outcome = { ok: true })),
      (error) => batch.forEach((w) => (w.outcome = { ok: false, error })),
    );
    inFlight = write;
    try {
      await write;
    } finally {
      if (inFlight === write) inFlight = null;
    }
    settled(waiter);
  };
}

/**
 * Group commit with one queue per key (for the provisioning log: per organization, whose entries go
 * to that organization's own Durable Object). Entries of different keys never wait for each other's
 * writes, and a failed write fails only its own key's entries. A key's queue is forgotten as soon as
 * nothing waits on it, so the map holds only keys with entries in flight.
 */
export function groupCommitPerKey<T, C>(keyOf: (item: T) => string, flush: Flush<T, C>) {
  const lanes = new Map<string, { submit: (item: T, context: C) => Promise<void>; waiting: number }>();
  return async function submit(item: T, context: C): Promise<void> {
    const key = keyOf(item);
    let lane = lanes.get(key);
    if (!lane) {
      lane = { submit: groupCommit(flush), waiting: 0 };
      lanes.set(key, lane);
    }
    lane.waiting++;
    try {
      await lane.submit(item, context);
    } finally {
      if (--lane.waiting === 0 && lanes.get(key) === lane) lanes.delete(key);
    }
  };
}

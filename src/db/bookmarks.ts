/**
 * Where each organization's latest D1 bookmark is kept, so that a read in the same location can ask a
 * replica for at least that state (read-your-writes for identity providers, which send no bookmarks).
 *
 * The store is the Cache API of the location the request runs in: a read there costs about a
 * millisecond and never leaves the location, and an identity provider's next request normally lands
 * in the same location as its write. It is only a hint: a miss (evicted, another location, or a
 * `*.workers.dev` hostname, where the Cache API stores nothing) sends the read to the primary, so
 * correctness never depends on it keeping anything. Why not KV or a Durable Object: see
 * docs/performance.md, "Latency by distance".
 */
export interface BookmarkStore {
  /** The org's latest bookmark known in this location, or null. Never throws. */
  get(orgId: string): Promise<string | null>;
  /** Remembers the bookmark of a write the org just made. Never throws. */
  put(orgId: string, bookmark: string): Promise<void>;
}

/** Entries outlive any replica lag by far; after that a read simply goes to the primary. */
const BOOKMARK_TTL_SECONDS = 300;

/** A URL of our own that names the entry; it is never fetched. */
const keyOf = (orgId: string) => `https://d1-bookmarks.edge-scim.invalid/${encodeURIComponent(orgId)}`;

export function cacheBookmarkStore(open: () => Promise<Cache> = () => caches.open("d1-bookmarks")): BookmarkStore {
  return {
    async get(orgId) {
      try {
        const hit = await (await open()).match(keyOf(orgId));
        return hit ? await hit.text() : null;
      } catch {
        return null;
      }
    },
    async put(orgId, bookmark) {
      try {
        const response = new Response(bookmark, { headers: { "Cache-Control": `max-age=${BOOKMARK_TTL_SECONDS}` } });
        await (await open()).put(keyOf(orgId), response);
      } catch {
        // A lost bookmark costs the next read a trip to the primary, nothing more.
      }
    },
  };
}

/**
 * A binding for a write with read replication on: every read through the binding itself (always the
 * primary: a write's decisions must never rest on a replica), every batch through a session that
 * starts at the primary, so that the write's bookmark can be kept for the organization's next reads.
 * Writes are batches (D1 has no interactive transactions), so none escapes the session.
 */
export function primaryWithBookmark(binding: D1Database): { d1: D1Database; bookmark: () => string | undefined } {
  const session = binding.withSession("first-primary");
  const d1 = new Proxy(binding, {
    get(target, prop) {
      if (prop === "batch") return (statements: D1PreparedStatement[]) => session.batch(statements);
      const value = Reflect.get(target, prop) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { d1, bookmark: () => session.getBookmark() ?? undefined };
}

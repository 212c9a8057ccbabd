/**
 * Cursor pagination (RFC 9865): what a cursor holds, how it is bound to the query it was minted for,
 * and which cursors a page answers with.
 *
 * A cursor is a keyset position — the sort value and id of a row, and whether the page lies after or
 * before it — plus the page size and when it was minted. It travels as `<payload>.<mac>`, both
 * base64url (RFC 3986 unreserved characters only): the payload is readable but the MAC, an HMAC
 * under a secret only the deployment holds, covers it together with the organization, the resource
 * type, the filter and the sort. Another organization's cursor, an edited one, or one reused with a
 * different filter or sort fails the MAC and is `invalidCursor`; a cursor older than
 * CURSOR_TIMEOUT_SECONDS is `expiredCursor`; a different `count` is `invalidCount`.
 *
 * The MAC itself is computed outside (it needs the secret and WebCrypto); this module only says what
 * it covers.
 */
import { ScimError } from "./errors";
import type { Position, Side, SortValue } from "./sql/keyset";

/** How long a cursor stays valid after it was minted (advertised as `pagination.cursorTimeout`). */
export const CURSOR_TIMEOUT_SECONDS = 3600;
/** Longer cursors are not ours (a sort value is at most a few KiB). */
const MAX_CURSOR_LENGTH = 16 * 1024;
const VERSION = 1;

/** Where a page lies relative to a position, and how many rows it holds. */
export interface CursorState {
  side: Side;
  /** The position's own row belongs to the page (cursors minted on an empty page). */
  inclusive: boolean;
  position: Position;
  count: number;
  /** Epoch milliseconds. */
  issuedAt: number;
}

/** What a cursor is bound to: it is refused for any other organization, resource type, filter or sort. */
export interface CursorBinding {
  orgId: string;
  resourceType: string;
  /** The filter as parsed and printed back (`formatFilter`), "" for none. */
  filter: string;
  /** The effective sort, "" for the default order. */
  sort: string;
}

/** Signs and checks MACs under the deployment's secret (see services/cursor-mac). */
export interface CursorMac {
  sign(message: string): Promise<string>;
  /** Constant-time. */
  verify(message: string, mac: string): Promise<boolean>;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

function toBase64url(text: string): string {
  let binary = "";
  for (const b of encoder.encode(text)) binary += String.fromCharCode(b);
  return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromBase64url(text: string): string | undefined {
  if (text.length % 4 === 1) return undefined;
  try {
    const binary = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4));
    return decoder.decode(Uint8Array.from(binary, (c) => c.charCodeAt(0)));
  } catch {
    return undefined;
  }
}

/** The message the MAC covers: the payload and everything the cursor is bound to, unambiguously. */
function macMessage(payload: string, binding: CursorBinding): string {
  return JSON.stringify(["edge-scim cursor", VERSION, binding.orgId, binding.resourceType, binding.filter, binding.sort, payload]);
}

type Payload = [version: number, side: "a" | "b", inclusive: 0 | 1, value: SortValue, id: string, count: number, issuedAt: number];

export async function mintCursor(state: CursorState, binding: CursorBinding, mac: CursorMac): Promise<string> {
  const { side, inclusive, position, count, issuedAt } = state;
  const payload: Payload = [VERSION, side === "after" ? "a" : "b", inclusive ? 1 : 0, position.value, position.id, count, issuedAt];
  const encoded = toBase64url(JSON.stringify(payload));
  return `${encoded}.${await mac.sign(macMessage(encoded, binding))}`;
}

function isPayload(value: unknown): value is Payload {
  if (!Array.isArray(value) || value.length !== 7) return false;
  const [version, side, inclusive, sortValue, id, count, issuedAt] = value;
  return (
    version === VERSION &&
    (side === "a" || side === "b") &&
    (inclusive === 0 || inclusive === 1) &&
    (sortValue === null || typeof sortValue === "string" || (typeof sortValue === "number" && Number.isFinite(sortValue))) &&
    typeof id === "string" &&
    Number.isInteger(count) &&
    Number.isInteger(issuedAt)
  );
}

const invalid = (detail: string) => new ScimError(400, detail, "invalidCursor");

/**
 * Reads a cursor a client sent back. Throws 400 `invalidCursor` for anything this deployment did not
 * mint for this organization, resource type, filter and sort; `expiredCursor` when it is older than
 * CURSOR_TIMEOUT_SECONDS; `invalidCount` when `count` differs from the one it was minted with.
 */
export async function readCursor(text: string, binding: CursorBinding, mac: CursorMac, now: number, count: number): Promise<CursorState> {
  const notOurs = () =>
    invalid("The cursor is not a nextCursor or previousCursor this service returned for this query (same endpoint, filter and sort)");
  const match = text.length <= MAX_CURSOR_LENGTH ? /^([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]+)$/.exec(text) : null;
  if (!match) throw notOurs();
  const [, encoded, signature] = match;
  if (!(await mac.verify(macMessage(encoded, binding), signature))) throw notOurs();
  let payload: unknown;
  try {
    payload = JSON.parse(fromBase64url(encoded) ?? "");
  } catch {
    throw notOurs();
  }
  if (!isPayload(payload)) throw notOurs();
  const [, side, inclusive, value, id, minted, issuedAt] = payload;
  if (now - issuedAt > CURSOR_TIMEOUT_SECONDS * 1000) {
    throw new ScimError(400, `The cursor has expired: cursors are valid for ${CURSOR_TIMEOUT_SECONDS} seconds; start again with an empty cursor`, "expiredCursor");
  }
  if (count !== minted) {
    throw new ScimError(400, `'count' must stay ${minted} while paging with this cursor, as in the request that returned it`, "invalidCount");
  }
  return { side: side === "a" ? "after" : "before", inclusive: inclusive === 1, position: { value, id }, count, issuedAt };
}

/** A cursor to mint: where the next (or previous) page lies. */
export type PageCursor = Omit<CursorState, "count" | "issuedAt">;

/**
 * The rows of a cursor page and the cursors it answers with.
 *
 * `fetched` are up to count + 1 rows on the requested side of the position, nearest first (so in
 * reverse list order for a page before it): the extra row says whether more lie beyond. `otherSide`
 * says whether any row lies on the other side of the request's position (false for a first page).
 * `nextCursor` is left out only on the last page and `previousCursor` only on the first (RFC 9865);
 * a page of `count` 0 answers only the total, without cursors.
 */
export function cursorPage<T>(
  state: CursorState | undefined,
  count: number,
  fetched: T[],
  otherSide: boolean,
  positionOf: (row: T) => Position,
): { rows: T[]; next?: PageCursor; previous?: PageCursor } {
  if (count === 0) return { rows: [] };
  const more = fetched.length > count;
  const page = fetched.slice(0, count);
  const backward = state?.side === "before";
  const rows = backward ? page.reverse() : page;
  const after = (row: T): PageCursor => ({ side: "after", inclusive: false, position: positionOf(row) });
  const before = (row: T): PageCursor => ({ side: "before", inclusive: false, position: positionOf(row) });
  // On an empty page, the way back (or on) is the request's own position, that row included.
  const around = (side: "after" | "before"): PageCursor | undefined =>
    state && otherSide ? { side, inclusive: !state.inclusive, position: state.position } : undefined;
  if (!backward) {
    const next = more ? after(rows[rows.length - 1]) : undefined;
    const previous = !state || !otherSide ? undefined : rows.length ? before(rows[0]) : around("before");
    return { rows, next, previous };
  }
  const previous = more ? before(rows[0]) : undefined;
  const next = !otherSide ? undefined : rows.length ? after(rows[rows.length - 1]) : around("after");
  return { rows, next, previous };
}

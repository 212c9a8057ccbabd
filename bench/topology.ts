/**
 * A simulated D1 topology, for the bench and the tests only (the product never imports it; it enters
 * through createApp({ wrapD1 }) and the OrgWriter's `d1`): a primary, one read replica that applies
 * the primary's writes after a lag, the Sessions API answered the way D1 answers it, and per-hop
 * delays.
 *
 * - The primary is a real D1 database; the replica is a second one, kept in step by replaying every
 *   write batch the primary committed, in commit order, once `lagMs` has passed (applied by the next
 *   replica read that finds it due), or when `catchUp()` is called, with `lagMs: "manual"`. Writes
 *   are applied by whichever request reads next: faithful at the bench's concurrency 1.
 * - A bookmark is the number of write batches committed, zero-padded (so that bookmarks compare as
 *   strings, as D1's do).
 * - The binding itself always reaches the primary. A session from `"first-primary"` sends its first
 *   query to the primary; a session from a bookmark, or any session after its first query, reads from
 *   the replica once the replica has caught up to the session's bookmark — it WAITS for that, as D1
 *   does; `"first-unconstrained"` reads the replica as it is. Writes always go to the primary and
 *   move the session's bookmark.
 */

export interface HopDelays {
  /** Added to each D1 round trip to the primary, from the Worker. */
  primary: number;
  /** Added to each D1 round trip to the replica. */
  replica: number;
  /** Added to each of the OrgWriter's own D1 round trips (it runs next to the primary). */
  writerDb: number;
}

export interface TopologyOptions {
  lagMs: number | "manual";
  delays?: Partial<HopDelays>;
  /** Told of every round trip: where it went, its statements, and whether the OrgWriter made it. */
  onRoundTrip?: (target: "primary" | "replica", sql: string[], fromWriter: boolean) => void;
}

interface Recorded {
  sql: string;
  params: unknown[];
}

const WRITE_SQL = /^\s*(insert|update|delete|replace)\b/i;
const isWrite = (s: Recorded) => WRITE_SQL.test(s.sql);
const bookmarkOf = (seq: number) => String(seq).padStart(16, "0");
const sleep = (ms: number) => (ms > 0 ? new Promise<void>((resolve) => setTimeout(resolve, ms)) : Promise.resolve());

type Method = "first" | "all" | "run" | "raw";

/** A statement as the simulation hands it out: its SQL and parameters, run where the session says. */
class SimStatement {
  constructor(
    readonly owner: SimSession,
    readonly recorded: Recorded,
  ) {}
  bind(...params: unknown[]) {
    return new SimStatement(this.owner, { sql: this.recorded.sql, params });
  }
  first(column?: string) {
    return this.owner.run([this], "first", column);
  }
  all() {
    return this.owner.run([this], "all");
  }
  run() {
    return this.owner.run([this], "run");
  }
  raw(options?: unknown) {
    return this.owner.run([this], "raw", options);
  }
}

type Where = "binding" | "first-primary" | "first-unconstrained" | "bookmark";

class SimSession {
  private bookmark: number | null;
  private touched = false;
  constructor(
    private readonly topology: Topology,
    private readonly where: Where,
    private readonly delay: (target: "primary" | "replica") => number,
    bookmark: number | null = null,
    private readonly fromWriter = false,
  ) {
    this.bookmark = bookmark;
  }

  prepare(sql: string) {
    return new SimStatement(this, { sql, params: [] });
  }

  batch(statements: SimStatement[]) {
    return this.run(statements, "batch");
  }

  getBookmark(): string | null {
    return this.bookmark === null ? null : bookmarkOf(this.bookmark);
  }

  withSession(constraint?: string) {
    return this.topology.session(constraint, this.delay, this.fromWriter);
  }

  async run(statements: SimStatement[], method: Method | "batch", arg?: unknown): Promise<any> {
    const recorded = statements.map((s) => s.recorded);
    const writes = recorded.some(isWrite);
    const first = !this.touched;
    this.touched = true;
    const toPrimary = writes || this.where === "binding" || (this.where === "first-primary" && first);
    const topology = this.topology;
    topology.onRoundTrip?.(toPrimary ? "primary" : "replica", recorded.map((s) => s.sql), this.fromWriter);
    if (toPrimary) {
      await sleep(this.delay("primary"));
      const { result, seq } = await topology.onPrimary(recorded, method, arg);
      this.bookmark = Math.max(this.bookmark ?? 0, seq);
      return result;
    }
    await sleep(this.delay("replica"));
    if (this.bookmark !== null) await topology.caughtUp(this.bookmark);
    const { result, seq } = await topology.onReplica(recorded, method, arg);
    this.bookmark = Math.max(this.bookmark ?? 0, seq);
    return result;
  }
}

export class Topology {
  private readonly lagMs: number | "manual";
  private delays: HopDelays;
  readonly onRoundTrip?: TopologyOptions["onRoundTrip"];
  /** Write batches committed on the primary / applied on the replica. */
  private committed = 0;
  private applied = 0;
  private readonly pending: { seq: number; statements: Recorded[]; due: number }[] = [];
  private readonly waiters: { seq: number; resolve: () => void }[] = [];
  private applying: Promise<void> = Promise.resolve();
  /** Reads served by the replica, and how many of them had to wait for it. */
  readonly stats = { primary: 0, replica: 0, waited: 0 };

  constructor(
    private readonly primary: D1Database,
    private readonly replica: D1Database,
    options: TopologyOptions,
  ) {
    this.lagMs = options.lagMs;
    this.delays = { primary: 0, replica: 0, writerDb: 0, ...options.delays };
    this.onRoundTrip = options.onRoundTrip;
  }

  setDelays(delays: Partial<HopDelays>) {
    this.delays = { ...this.delays, ...delays };
  }

  /** The binding the Worker's requests get (createApp's wrapD1). */
  binding(): D1Database {
    return new SimSession(this, "binding", (t) => this.delays[t]) as unknown as D1Database;
  }

  /** The OrgWriter's binding: next to the primary, so its hop is `writerDb`. */
  writerBinding(): D1Database {
    return new SimSession(this, "binding", () => this.delays.writerDb, null, true) as unknown as D1Database;
  }

  session(constraint: string | undefined, delay: (target: "primary" | "replica") => number, fromWriter = false): SimSession {
    if (constraint === "first-primary") return new SimSession(this, "first-primary", delay, null, fromWriter);
    if (constraint === undefined || constraint === "first-unconstrained") return new SimSession(this, "first-unconstrained", delay, null, fromWriter);
    return new SimSession(this, "bookmark", delay, Number(constraint), fromWriter);
  }

  /** Sessions waiting for the replica to catch up right now. */
  get waiting(): number {
    return this.waiters.length;
  }

  /** Applies every write committed so far to the replica (with `lagMs: "manual"`). */
  async catchUp(): Promise<void> {
    while (this.pending.length) await this.applyNext();
  }

  async onPrimary(statements: Recorded[], method: Method | "batch", arg: unknown) {
    this.stats.primary++;
    const result = await execute(this.primary, statements, method, arg);
    const writes = statements.filter(isWrite);
    if (writes.length === 0) return { result, seq: this.committed };
    const seq = ++this.committed;
    this.pending.push({ seq, statements: writes, due: this.lagMs === "manual" ? Infinity : Date.now() + this.lagMs });
    return { result, seq };
  }

  async onReplica(statements: Recorded[], method: Method | "batch", arg: unknown) {
    this.stats.replica++;
    await this.applyDue();
    const result = await execute(this.replica, statements, method, arg);
    return { result, seq: this.applied };
  }

  /**
   * Waits until the replica has applied write `seq`. With a timed lag the waiting request applies
   * what has come due itself (under workerd a request cannot be woken by another request's timer);
   * with a manual one it waits for catchUp().
   */
  async caughtUp(seq: number): Promise<void> {
    if (this.applied >= seq) return;
    this.stats.waited++;
    if (this.lagMs === "manual") return new Promise((resolve) => this.waiters.push({ seq, resolve }));
    for (;;) {
      await this.applyDue();
      if (this.applied >= seq) return;
      const entry = this.pending.find((p) => p.seq === seq) ?? this.pending[0];
      await sleep(Math.max(1, (entry?.due ?? Date.now()) - Date.now()));
    }
  }

  /** Applies, in commit order, every write whose lag has passed (the replica's progress over time). */
  private async applyDue(): Promise<void> {
    while (this.lagMs !== "manual" && this.pending.length && this.pending[0].due <= Date.now()) {
      const next = this.pending.shift()!;
      await this.replica.batch(next.statements.map((s) => this.replica.prepare(s.sql).bind(...s.params)));
      this.applied = Math.max(this.applied, next.seq);
    }
  }

  /** Replays the oldest committed write on the replica; entries apply strictly in commit order. */
  private applyNext(): Promise<void> {
    this.applying = this.applying.then(async () => {
      const next = this.pending.shift();
      if (!next) return;
      await this.replica.batch(next.statements.map((s) => this.replica.prepare(s.sql).bind(...s.params)));
      this.applied = next.seq;
      for (let i = this.waiters.length - 1; i >= 0; i--) {
        if (this.waiters[i].seq <= this.applied) this.waiters.splice(i, 1)[0].resolve();
      }
    });
    return this.applying;
  }
}

async function execute(db: D1Database, statements: Recorded[], method: Method | "batch", arg: unknown): Promise<any> {
  const prepared = statements.map((s) => db.prepare(s.sql).bind(...s.params));
  if (method === "batch") return db.batch(prepared);
  const [statement] = prepared;
  if (method === "first") return arg === undefined ? statement.first() : statement.first(arg as string);
  if (method === "raw") return statement.raw(arg as { columnNames?: false });
  return statement[method]();
}

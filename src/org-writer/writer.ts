/**
 * OrgWriter: one Durable Object per organization (`idFromName(orgId)`), the only path for group
 * writes, membership writes and user deletion, so that no two of them interleave — and the path of a
 * user write that keeps losing its optimistic race (src/services/users.ts), which it serialises.
 *
 * A Durable Object does NOT serialise its outgoing D1 calls: its input gate opens while a D1 query is
 * in flight, so a second RPC would start reading before the first one's batch landed. The writer
 * therefore keeps its own FIFO queue and runs exactly one batch at a time. Domain errors are returned
 * as values, because errors thrown across RPC lose their custom fields.
 *
 * Group commit: the writes that queue up while a batch is in flight go to D1 together as the next
 * single atomic batch. They are taken from the head of the queue, in arrival order, for as long as
 * none of them touches what an earlier one in the batch writes (its footprint: the group it changes,
 * the users whose existence or row it reads, the display name it claims; a user deletion changes
 * every group the user is in, so no group write follows it into a batch). Their pre-reads (one query
 * per kind of row for the whole batch) therefore see exactly the state the earlier writes leave; each
 * write is planned and If-Match-checked as if it ran alone, and its statements follow the earlier
 * ones' in the batch. A write refused while planning (404, 412, 400) is answered at once and adds
 * nothing; if the batch fails (a uniqueness race, an outage) it wrote nothing, and its writes run
 * again one at a time, so that each gets its own answer. Two writes of the same group or user never
 * share a batch: they run one after the other, as before group commit.
 *
 * Every write takes `at`, the caller's "now" (the request's clock, so that tests can move time), and
 * never moves a group's or user's lastModified backwards.
 */
import { DurableObject } from "cloudflare:workers";
import { primaryWithBookmark } from "../db/bookmarks";
import { database, type Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import {
  bumpGroupsOfUserStatement,
  clearMembersStatement,
  deleteGroupStatement,
  deleteMembersStatements,
  insertGroupStatement,
  insertMembersStatements,
  memberKey,
  prepared,
  updateGroupStatement,
  type MemberQuestion,
  type WriteStatement,
} from "../db/group-writes";
import type { GroupRow } from "../db/groups";
import { firstMembersOf, firstMembersStatement, type FirstMembers } from "../db/group-members";
import { writerPreRead, type WriterPreRead } from "../db/writer-reads";
import { deleteUserStatement } from "../db/user-deletion";
import {
  insertEventsStatements,
  membershipEventsStatements,
  membersNotKeptEventsStatement,
  userLeavesAllGroupsEventsStatement,
  type OutboxEvent,
} from "../db/events";
import { groupCreated, groupDeleted, groupUpdated, userDeleted, userUpdated } from "../events/model";
import { isUserNameTaken, landed, updateUserStatements, userGroupsOf, userGroupsStatement } from "../db/users";
import type { Env } from "../env";
import { newId } from "../lib/crypto";
import { trimmedOrigin } from "../lib/origins";
import { errorToValue, ScimError } from "../scim/errors";
import { ifMatchHolds, type IfMatch } from "../scim/etag";
import { groupData, type GroupChange, type GroupWrite } from "../scim/resource/group";
import { applyUserChange, storableUserRecord, userNameTaken, type StoredUser, type UserChange, type UserGroup } from "../scim/resource/user";
import { fold } from "../scim/text";
import type { Json } from "../scim/values";
import { writerUnavailable, type WriteResult } from "./result";
import { runBulk, type BulkOutcome, type BulkStep } from "./bulk";
import { groupNameTaken, groupNotFound, unknownMembersError, userNotFound } from "./errors";
import { planMembership, referencedIds, type MemberState } from "./membership";

export type { BulkOutcome, BulkStep, IfMatch, WriteResult };

function checkIfMatch(ifMatch: IfMatch, version: number) {
  if (!ifMatchHolds(ifMatch, version)) throw ScimError.preconditionFailed();
}

function refuseUnknownMembers(unknownIds: string[]) {
  if (unknownIds.length) throw unknownMembersError(unknownIds);
}

/** A user written through the writer, with its groups when the caller asked for them. */
export interface UpdatedUser {
  user: StoredUser;
  /** The user's groups as the write left them; absent when not asked for or when nothing was written. */
  groups?: UserGroup[];
}

/**
 * A group as a write left it; with `firstMembers` when the caller asked for them (POST and PUT answer
 * with the members, read in the write's own batch instead of a round trip after it). Absent for a
 * write that changed nothing.
 */
export type WrittenGroup = GroupRow & { firstMembers?: FirstMembers };

/** At most this many queued writes share one batch. */
export const MAX_WRITES_PER_BATCH = 50;
/**
 * At most this many statements in one batch (production D1 allows 1,000 queries per invocation; a
 * write that would pass this waits for the next batch). Every statement binds few parameters: sets of
 * ids travel as one JSON parameter (src/db/group-writes.ts).
 */
export const MAX_STATEMENTS_PER_BATCH = 500;
/**
 * How often a user write re-reads after a direct (optimistic) write got there first. Each round lets
 * that competitor through, and competitors that lose twice queue here behind it, so this is never
 * reached in practice; if it is, the answer is 503 with Retry-After.
 */
const MAX_USER_ATTEMPTS = 32;

/** Every write carries the SCIM base URL its events render resources' locations with. */
type Op = { baseUrl: string } & (
  | { kind: "createGroup"; orgId: string; input: GroupWrite; at: number; withMembers: boolean }
  | { kind: "patchGroup"; orgId: string; groupId: string; patch: GroupChange; ifMatch: IfMatch; at: number; withMembers: boolean }
  | { kind: "deleteGroup"; orgId: string; groupId: string; ifMatch: IfMatch; at: number }
  | { kind: "deleteUser"; orgId: string; userId: string; ifMatch: IfMatch; at: number }
  | { kind: "updateUser"; orgId: string; userId: string; change: UserChange; ifMatch: IfMatch; at: number; withGroups: boolean }
  /** A whole Bulk request: committed in a batch of its own (./bulk). */
  | { kind: "bulk"; orgId: string; steps: BulkStep[]; failOnErrors: number | undefined; at: number }
);

/** What a write reads and writes, as keys; `allGroups`: it changes groups it cannot name in advance. */
interface Footprint {
  reads: string[];
  writes: string[];
  allGroups?: boolean;
}

interface Job {
  op: Op;
  footprint: Footprint;
  /** Runs in a batch of its own (after a shared batch failed, to attribute the failure). */
  solo: boolean;
  attempts: number;
  resolve: (result: WriteResult<unknown>) => void;
}

/** The rows a batch's writes read, all read before any of them is planned. */
type PreRead = WriterPreRead;

/** A planned write: its statements, and how their results become its answer ("stale": run it again). */
interface Plan {
  statements: D1PreparedStatement[];
  finish: (results: D1Result[]) => WriteResult<unknown> | "stale";
  /** The error a failure of its own statements means (a uniqueness race), when not 503. */
  failure?: (err: unknown) => ScimError | undefined;
}

function footprint(op: Op): Footprint {
  switch (op.kind) {
    case "createGroup":
      return { reads: op.input.members.map((id) => `user:${id}`), writes: [`name:${fold(op.input.displayName)}`] };
    case "patchGroup": {
      const writes = [`group:${op.groupId}`];
      if (op.patch.displayName !== undefined) writes.push(`name:${fold(op.patch.displayName)}`);
      return { reads: referencedIds(op.patch.memberOps).map((id) => `user:${id}`), writes };
    }
    case "deleteGroup":
      return { reads: [], writes: [`group:${op.groupId}`] };
    case "deleteUser":
      return { reads: [], writes: [`user:${op.userId}`, `row:${op.userId}`], allGroups: true };
    case "updateUser":
      return { reads: [], writes: [`row:${op.userId}`] };
    case "bulk":
      // Never shares a batch (take), so its footprint is never compared.
      return { reads: [], writes: [], allGroups: true };
  }
}

/**
 * A group write's plan, answering with `value` — and, when `withMembers`, with the group's first chunk
 * of members, read by one more statement at the end of the same batch (after the write, so it sees
 * the members as the write left them).
 */
function withFirstMembers(d1: D1Database, statements: D1PreparedStatement[], value: GroupRow, withMembers: boolean): Plan {
  const count = statements.length;
  if (withMembers) statements.push(firstMembersStatement(d1, value.id));
  return {
    statements,
    finish: (results) => ({ ok: true, value: withMembers ? { ...value, firstMembers: firstMembersOf(results[count]) } : value }),
    failure: groupConflict,
  };
}

const groupConflict = (err: unknown) => (isUniqueViolation(err, "groups.org_id, groups.display_name_norm") ? groupNameTaken() : undefined);

/** A thrown error as a write's answer: its ScimError, or 503 for anything else (nothing was written). */
function failureValue(err: unknown, failure?: Plan["failure"]): WriteResult<never> {
  if (err instanceof ScimError) return errorToValue(err);
  const known = failure?.(err);
  if (known) return errorToValue(known);
  // An infrastructure failure (D1 unreachable, a batch refused): the batch is atomic, so nothing
  // was written. A value too, not a throw: the route answers 503 with Retry-After.
  console.error("OrgWriter write failed:", err);
  return errorToValue(writerUnavailable());
}

export class OrgWriter extends DurableObject<Env> {
  /** The D1 binding writes go to; a test may swap in an instrumented one via runInDurableObject. */
  d1: D1Database = this.env.DB;
  /**
   * How many queued writes may share a batch. 1 turns group commit off: every write is a batch of its
   * own, as before group commit (the benchmark's Worker compares both; bench/worker.ts).
   */
  protected maxWritesPerBatch = MAX_WRITES_PER_BATCH;
  /**
   * Whether writes store their directory events (the outbox rows, in the write's own batch). Always in
   * the product; the benchmark's Worker switches it off per organization to measure what events cost.
   */
  protected emitsEvents = true;
  private queue: Job[] = [];
  private draining = false;

  /**
   * The SCIM base URL for a write whose caller passed none (a test calling the writer directly):
   * PUBLIC_ORIGIN's, or a relative one.
   */
  private defaultBaseUrl(): string {
    return `${trimmedOrigin(this.env.PUBLIC_ORIGIN) ?? ""}/scim/v2`;
  }

  /** Queues a write; the queue is drained one batch at a time, in arrival order. */
  private enqueue<T>(op: Op): Promise<WriteResult<T>> {
    return new Promise<WriteResult<T>>((resolve) => {
      this.queue.push({ op, footprint: footprint(op), solo: false, attempts: 0, resolve: resolve as Job["resolve"] });
      if (!this.draining) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.take();
        try {
          await this.commit(batch);
        } catch (err) {
          // Not expected (commit answers every write itself); never leave a caller waiting.
          for (const job of batch) job.resolve(failureValue(err));
        }
      }
    } finally {
      this.draining = false;
    }
  }

  /** The next batch: the head of the queue and, behind it, every write that does not depend on an earlier one. */
  private take(): Job[] {
    const first = this.queue.shift()!;
    const batch = [first];
    // A Bulk request plans and writes on its own (./bulk): it is a batch by itself.
    if (first.solo || first.op.kind === "bulk") return batch;
    const written = new Set(first.footprint.writes);
    let allGroups = first.footprint.allGroups === true;
    while (this.queue.length > 0 && batch.length < this.maxWritesPerBatch) {
      const next = this.queue[0];
      if (next.solo || next.op.kind === "bulk" || next.op.orgId !== first.op.orgId) break;
      const touched = [...next.footprint.reads, ...next.footprint.writes];
      if (touched.some((key) => written.has(key) || (allGroups && key.startsWith("group:")))) break;
      batch.push(this.queue.shift()!);
      for (const key of next.footprint.writes) written.add(key);
      allGroups ||= next.footprint.allGroups === true;
    }
    return batch;
  }

  private async commit(batch: Job[]): Promise<void> {
    // With read replication on, the batch goes through a primary session so that its bookmark can be
    // handed back to the caller, who keeps it for the organization's next reads.
    const { d1, bookmark } =
      this.env.D1_READ_REPLICATION === "on" ? primaryWithBookmark(this.d1) : { d1: this.d1, bookmark: () => undefined };
    const db = database(d1);
    const [head] = batch;
    if (head.op.kind === "bulk") {
      const { orgId, steps, failOnErrors, at, baseUrl } = head.op;
      try {
        const value = await runBulk(db, orgId, steps, failOnErrors, at, this.emitsEvents ? baseUrl : undefined);
        const mark = bookmark();
        head.resolve(mark ? { ok: true, value, bookmark: mark } : { ok: true, value });
      } catch (err) {
        head.resolve(failureValue(err));
      }
      return;
    }
    let read: PreRead;
    try {
      read = await this.preRead(db, batch.map((j) => j.op));
    } catch (err) {
      for (const job of batch) job.resolve(failureValue(err));
      return;
    }

    const planned: { job: Job; plan: Plan }[] = [];
    let statements = 0;
    for (const [i, job] of batch.entries()) {
      let plan: Plan | { done: unknown };
      try {
        plan = this.plan(db, job.op, read);
      } catch (err) {
        job.resolve(failureValue(err));
        continue;
      }
      if ("done" in plan) {
        job.resolve({ ok: true, value: plan.done });
        continue;
      }
      if (planned.length > 0 && statements + plan.statements.length > MAX_STATEMENTS_PER_BATCH) {
        // This write and the ones behind it go first in the next batch (re-read then).
        this.queue.unshift(...batch.slice(i));
        break;
      }
      planned.push({ job, plan });
      statements += plan.statements.length;
    }
    if (planned.length === 0) return;

    let results: D1Result[];
    try {
      results = await d1.batch(planned.flatMap((p) => p.plan.statements));
    } catch (err) {
      if (planned.length > 1) {
        // The batch wrote nothing; run its writes again one at a time, so that each gets its own answer.
        this.queue.unshift(...planned.map(({ job }) => ({ ...job, solo: true })));
      } else {
        planned[0].job.resolve(failureValue(err, planned[0].plan.failure));
      }
      return;
    }

    const again: Job[] = [];
    const mark = bookmark();
    let offset = 0;
    for (const { job, plan } of planned) {
      const outcome = plan.finish(results.slice(offset, (offset += plan.statements.length)));
      if (outcome !== "stale") job.resolve(outcome.ok && mark ? { ...outcome, bookmark: mark } : outcome);
      else if (job.attempts + 1 >= MAX_USER_ATTEMPTS) job.resolve(errorToValue(writerUnavailable()));
      else again.push({ ...job, attempts: job.attempts + 1 });
    }
    this.queue.unshift(...again);
  }

  /** Everything the batch's writes read, in one round trip whatever their number (db/writer-reads). */
  private async preRead(db: Db, ops: Op[]): Promise<PreRead> {
    const groupIds = new Set<string>();
    const userIds = new Set<string>();
    const questions: MemberQuestion[] = [];
    for (const op of ops) {
      if (op.kind === "createGroup") for (const id of new Set(op.input.members)) questions.push({ groupId: null, id });
      if (op.kind === "patchGroup") for (const id of referencedIds(op.patch.memberOps)) questions.push({ groupId: op.groupId, id });
      if (op.kind === "patchGroup" || op.kind === "deleteGroup") groupIds.add(op.groupId);
      if (op.kind === "deleteUser" || op.kind === "updateUser") userIds.add(op.userId);
    }
    return writerPreRead(db, ops[0].orgId, [...groupIds], [...userIds], questions);
  }

  /** A write's statements, or its answer when it writes nothing; throws its ScimError when refused. */
  private plan(db: Db, op: Op, read: PreRead): Plan | { done: unknown } {
    const sql = (statements: WriteStatement[]) => statements.map((s) => prepared(this.d1, s));
    const on = this.emitsEvents;
    const events = (list: OutboxEvent[], guard?: Parameters<typeof insertEventsStatements>[4]) =>
      on ? insertEventsStatements(this.d1, op.orgId, op.at, list, guard) : [];
    const statesOf = (groupId: string | null, ids: string[]) => {
      const states = new Map<string, MemberState>();
      for (const id of ids) {
        const state = read.states.get(memberKey(groupId, id));
        if (state) states.set(id, state);
      }
      return states;
    };
    switch (op.kind) {
      case "createGroup": {
        const { orgId, input, at } = op;
        const members = [...new Set(input.members)];
        const states = statesOf(null, members);
        refuseUnknownMembers(members.filter((id) => !states.get(id)?.isUser));
        const row: GroupRow = {
          id: newId(),
          orgId,
          displayName: input.displayName,
          displayNameNorm: fold(input.displayName),
          externalId: input.externalId,
          version: 1,
          createdAt: at,
          lastModified: at,
          memberCount: members.length,
          data: groupData(input.displayName, input.externalId),
        };
        const statements = [
          ...sql([insertGroupStatement(db, row), ...insertMembersStatements(db, orgId, row.id, members)]),
          ...events([groupCreated(row, op.baseUrl)]),
          ...(on ? membershipEventsStatements(this.d1, orgId, at, "group.user_added", row, members) : []),
        ];
        return withFirstMembers(this.d1, statements, row, op.withMembers && members.length > 0);
      }
      case "patchGroup": {
        const { orgId, groupId, patch, ifMatch, at } = op;
        const group = read.groups.get(groupId);
        if (!group) throw groupNotFound(groupId);
        checkIfMatch(ifMatch, group.version);
        const states = statesOf(groupId, referencedIds(patch.memberOps));
        const plan = planMembership(patch.memberOps, states, group.memberCount);
        refuseUnknownMembers(plan.unknownIds);
        // Who joins: inserted and not a member before (a replace re-inserts the members it keeps).
        const joined = plan.toInsert.filter((id) => !states.get(id)?.isMember);

        const next = {
          ...group,
          displayName: patch.displayName ?? group.displayName,
          externalId: patch.externalId === undefined ? group.externalId : patch.externalId,
          memberCount: plan.memberCount,
        };
        next.displayNameNorm = fold(next.displayName);
        next.data = groupData(next.displayName, next.externalId);
        const attributesChanged = next.displayName !== group.displayName || next.externalId !== group.externalId;
        if (!plan.changed && !attributesChanged) return { done: group }; // nothing changes: version and lastModified stay

        // lastModified never goes backwards, even if the caller's clock is behind the last writer's.
        const now = Math.max(at, group.lastModified);
        const statements: WriteStatement[] = [];
        if (plan.clearAll) statements.push(clearMembersStatement(db, groupId));
        statements.push(...deleteMembersStatements(db, groupId, plan.toDelete));
        statements.push(...insertMembersStatements(db, orgId, groupId, plan.toInsert));
        statements.push(updateGroupStatement(db, next, group.version, now));
        const value = { ...next, version: group.version + 1, lastModified: now };
        // The events read the membership rows as they were, so they go before the writes: the group's
        // own change first, then who left, then who joined.
        const eventStatements = [
          ...(attributesChanged ? events([groupUpdated(group, value, op.baseUrl)]) : []),
          ...(!on
            ? []
            : [
                // A replace names every member it keeps; whoever else is in the group leaves.
                ...(plan.clearAll
                  ? [membersNotKeptEventsStatement(this.d1, orgId, now, next, plan.toInsert)]
                  : membershipEventsStatements(this.d1, orgId, now, "group.user_removed", next, plan.toDelete)),
                ...membershipEventsStatements(this.d1, orgId, now, "group.user_added", next, joined),
              ]),
        ];
        return withFirstMembers(this.d1, [...eventStatements, ...sql(statements)], value, op.withMembers && value.memberCount > 0);
      }
      case "deleteGroup": {
        const group = read.groups.get(op.groupId);
        if (!group) throw groupNotFound(op.groupId);
        checkIfMatch(op.ifMatch, group.version);
        return {
          statements: [...events([groupDeleted(group, op.baseUrl)]), ...sql([deleteGroupStatement(db, op.orgId, op.groupId)])],
          finish: () => ({ ok: true, value: null }),
        };
      }
      case "deleteUser": {
        const { orgId, userId, ifMatch, at } = op;
        const user = read.users.get(userId);
        if (!user) throw userNotFound(userId);
        checkIfMatch(ifMatch, user.version);
        // Its memberships' events are read before the delete cascades them away; then the user's own.
        const userName = String((JSON.parse(user.data) as Json).userName);
        return {
          statements: [
            ...(on ? [userLeavesAllGroupsEventsStatement(this.d1, orgId, at, { id: userId, userName })] : []),
            ...events([userDeleted(user, op.baseUrl)]),
            ...sql([bumpGroupsOfUserStatement(db, orgId, userId, at), deleteUserStatement(db, orgId, userId)]),
          ],
          finish: () => ({ ok: true, value: null }),
        };
      }
      case "updateUser": {
        const { orgId, userId, change, ifMatch, at, withGroups } = op;
        const current = read.users.get(userId);
        if (!current) throw userNotFound(userId);
        checkIfMatch(ifMatch, current.version);
        const next = applyUserChange(JSON.parse(current.data) as Json, change);
        const record = storableUserRecord(next);
        // Same canonical JSON: nothing to write, and version and lastModified stay as they are.
        if (record.data === current.data) return { done: { user: current } satisfies UpdatedUser };
        // lastModified never goes backwards, even if the caller's clock is behind the last writer's.
        const now = Math.max(at, current.lastModified);
        const user: StoredUser = { id: userId, version: current.version + 1, createdAt: current.createdAt, lastModified: now, data: record.data };
        const statements = updateUserStatements(this.d1, orgId, current, record, now, on ? [userUpdated(current, user, op.baseUrl)] : []);
        const count = statements.length;
        if (withGroups) statements.push(userGroupsStatement(this.d1, orgId, userId));
        return {
          statements,
          finish: (results) => {
            // A direct write landed between the pre-read and this batch: read again and re-apply.
            if (!landed(results, count)) return "stale";
            const value: UpdatedUser = withGroups ? { user, groups: userGroupsOf(userId, results[count]) } : { user };
            return { ok: true, value };
          },
          failure: (err) => (isUserNameTaken(err) ? userNameTaken(next.userName) : undefined),
        };
      }
      case "bulk":
        throw new Error("a Bulk request is committed in a batch of its own");
    }
  }

  /** `withMembers`: answer with the group's first chunk of members too, read in the write's batch. */
  createGroup(
    orgId: string,
    input: GroupWrite,
    at = Date.now(),
    baseUrl = this.defaultBaseUrl(),
    withMembers = false,
  ): Promise<WriteResult<WrittenGroup>> {
    return this.enqueue({ kind: "createGroup", orgId, input, at, baseUrl, withMembers });
  }

  replaceGroup(
    orgId: string,
    groupId: string,
    input: GroupWrite,
    ifMatch: IfMatch,
    at = Date.now(),
    baseUrl = this.defaultBaseUrl(),
    withMembers = false,
  ): Promise<WriteResult<WrittenGroup>> {
    return this.patchGroup(
      orgId,
      groupId,
      { displayName: input.displayName, externalId: input.externalId, memberOps: [{ kind: "replace", ids: input.members }] },
      ifMatch,
      at,
      baseUrl,
      withMembers,
    );
  }

  patchGroup(
    orgId: string,
    groupId: string,
    patch: GroupChange,
    ifMatch: IfMatch,
    at = Date.now(),
    baseUrl = this.defaultBaseUrl(),
    withMembers = false,
  ): Promise<WriteResult<WrittenGroup>> {
    return this.enqueue({ kind: "patchGroup", orgId, groupId, patch, ifMatch, at, baseUrl, withMembers });
  }

  deleteGroup(orgId: string, groupId: string, ifMatch: IfMatch, at = Date.now(), baseUrl = this.defaultBaseUrl()): Promise<WriteResult<null>> {
    return this.enqueue({ kind: "deleteGroup", orgId, groupId, ifMatch, at, baseUrl });
  }

  /**
   * Runs a Bulk request's operations (in the order given), as one batch of its own in this
   * organization's queue: no other write of the writer interleaves with it (see ./bulk).
   */
  bulk(
    orgId: string,
    steps: BulkStep[],
    failOnErrors: number | undefined,
    at = Date.now(),
    baseUrl = this.defaultBaseUrl(),
  ): Promise<WriteResult<{ outcomes: BulkOutcome[]; createdUsers: string[] }>> {
    return this.enqueue({ kind: "bulk", orgId, steps, failOnErrors, at, baseUrl });
  }

  /** Deletes a user with everything that hangs off it; each group it was in gains one version. */
  deleteUser(orgId: string, userId: string, ifMatch: IfMatch, at = Date.now(), baseUrl = this.defaultBaseUrl()): Promise<WriteResult<null>> {
    return this.enqueue({ kind: "deleteUser", orgId, userId, ifMatch, at, baseUrl });
  }

  /**
   * A user PUT or PATCH that lost its optimistic race more than once (src/services/users.ts): applied
   * here, one at a time per user, against the state the last write left. Direct writes may still land
   * in between (they are version-guarded, and so is this one, which then re-reads and re-applies).
   */
  updateUser(
    orgId: string,
    userId: string,
    change: UserChange,
    ifMatch: IfMatch,
    at = Date.now(),
    withGroups = false,
    baseUrl = this.defaultBaseUrl(),
  ): Promise<WriteResult<UpdatedUser>> {
    return this.enqueue({ kind: "updateUser", orgId, userId, change, ifMatch, at, withGroups, baseUrl });
  }
}

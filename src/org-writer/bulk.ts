/**
 * A Bulk request (RFC 7644 §3.7) inside the OrgWriter: its operations run one after the other as
 * their single forms would — the same contract functions, the same If-Match, uniqueness, member and
 * version rules, the same errors — but against an in-memory view of the organization, so that the
 * whole request costs a few batched reads and one atomic batch of writes instead of several
 * statements per operation.
 *
 * 1. Plan: run the operations in order over the view, which asks for the facts it lacks (users,
 *    groups, names, memberships). The facts are read in one batch and the plan runs again, until it
 *    lacks nothing (two rounds in practice: a user's groups are only known once the user is read).
 * 2. Write: the difference between the view and what was read, as one batch of multi-row statements
 *    (src/db/bulk-writes). Group rows and memberships cannot change meanwhile (only this writer
 *    writes them); users can (single PUT/PATCH/POST run outside it), so the batch first checks that
 *    every user it updates or deletes is still at the version read, and a taken userName fails the
 *    batch on the unique index: either way nothing is written, and the plan is redone from fresh
 *    reads. A batch that fails otherwise wrote nothing: the request gets 503.
 *
 * Each operation's answer is a value; with `failOnErrors`, operations after that many errors are not
 * run (and not answered).
 */
import type { Db } from "../db/client";
import { isUserNameTaken } from "../db/users";
import type { GroupRow } from "../db/groups";
import { isStalePlan, readBulkFacts, writeBulk, type BulkFactQuery, type BulkUserRow, type BulkWrites } from "../db/bulk-writes";
import { errorToValue, ScimError, type ScimErrorValue } from "../scim/errors";
import { ifMatchHolds, type IfMatch } from "../scim/etag";
import { groupData, type GroupChange, type GroupWrite, type MemberOp } from "../scim/resource/group";
import { patchUser, storableUserRecord, userNameTaken, type UserRecord } from "../scim/resource/user";
import { fold } from "../scim/text";
import type { Json } from "../scim/values";
import { planMembership, referencedIds } from "./membership";
import { bulkLeavingEventsStatements, insertEventsStatements, pairEventsStatements, type OutboxEvent } from "../db/events";
import { groupCreated, groupDeleted, groupUpdated, userCreated, userDeleted, userUpdated } from "../events/model";
import { groupNameTaken, groupNotFound, unknownMembersError, userNotFound } from "./errors";

/** What one operation asks for, validated by the service (bulkIds already replaced by ids). */
export type BulkIntent =
  | { kind: "failed"; error: ScimErrorValue }
  | { kind: "createUser"; id: string; resource: Json }
  | { kind: "replaceUser"; id: string; resource: Json; ifMatch: IfMatch }
  | { kind: "patchUser"; id: string; patch: Json; ifMatch: IfMatch }
  | { kind: "deleteUser"; id: string; ifMatch: IfMatch }
  | { kind: "createGroup"; id: string; group: GroupWrite }
  | { kind: "replaceGroup"; id: string; group: GroupWrite; ifMatch: IfMatch }
  | { kind: "patchGroup"; id: string; change: GroupChange; ifMatch: IfMatch }
  | { kind: "deleteGroup"; id: string; ifMatch: IfMatch };

export interface BulkStep {
  /** The operation's position in the request. */
  index: number;
  intent: BulkIntent;
  /** Indexes of the POSTs whose created ids the intent uses: if one failed, this one cannot run. */
  dependsOn: number[];
}

export type BulkOutcome = { index: number; ok: true; status: 200 | 201 | 204; version?: number } | { index: number; ok: false; error: ScimErrorValue };

/** Rounds of reading facts, and plans redone after losing a race, before the request gets 503. */
const MAX_FACT_ROUNDS = 6;
const MAX_PLAN_ATTEMPTS = 8;

/** A user as the plan sees it: as read (`data` null when the plan never needed the resource), or as written. */
interface UserState extends BulkUserRow {
  /** Set when this request wrote the user (created or changed it). */
  record?: UserRecord;
  created: boolean;
}

interface Membership {
  /** Every member the group had before is gone (a replace, or a new group). */
  cleared: boolean;
  /** Final membership of the users this request touched in the group. */
  members: Map<string, boolean>;
}

/** The facts read so far, and what the plan asked for that they lack. */
class Facts {
  users = new Map<string, BulkUserRow | null>();
  usersWithData = new Set<string>();
  userNames = new Map<string, string | null>();
  groups = new Map<string, GroupRow | null>();
  groupNames = new Map<string, string | null>();
  pairs = new Map<string, boolean>();
  groupsOfUsers = new Map<string, string[]>();
  missing: BulkFactQuery = emptyQuery();

  lacking(): boolean {
    return Object.values(this.missing).some((list) => list.length > 0);
  }

  async read(db: Db, orgId: string): Promise<void> {
    const q = this.missing;
    this.missing = emptyQuery();
    const facts = await readBulkFacts(db, orgId, q);
    for (const id of [...q.users, ...q.usersWithData]) if (!this.users.get(id)) this.users.set(id, null);
    for (const row of facts.users) {
      const known = this.users.get(row.id);
      this.users.set(row.id, row.data === null && known?.data ? { ...row, data: known.data } : row);
    }
    for (const id of q.usersWithData) this.usersWithData.add(id);
    for (const name of q.userNames) this.userNames.set(name, null);
    for (const r of facts.userNames) this.userNames.set(r.name, r.id);
    for (const id of q.groups) this.groups.set(id, null);
    for (const row of facts.groups) this.groups.set(row.id, row);
    for (const name of q.groupNames) this.groupNames.set(name, null);
    for (const r of facts.groupNames) this.groupNames.set(r.name, r.id);
    for (const [g, u] of q.pairs) this.pairs.set(pairKey(g, u), false);
    for (const r of facts.pairs) this.pairs.set(pairKey(r.groupId, r.userId), true);
    for (const id of q.groupsOfUsers) this.groupsOfUsers.set(id, []);
    for (const r of facts.groupsOfUsers) {
      this.groupsOfUsers.get(r.userId)!.push(r.groupId);
      this.pairs.set(pairKey(r.groupId, r.userId), true);
    }
  }
}

function emptyQuery(): BulkFactQuery {
  return { usersWithData: [], users: [], userNames: [], groups: [], groupNames: [], pairs: [], groupsOfUsers: [] };
}

const pairKey = (groupId: string, userId: string) => `${groupId}\n${userId}`;

/**
 * The organization as the operations so far have left it. A fact it lacks is recorded, and the plan
 * goes on with a placeholder (absent, not a member, not taken): such a plan is only good for finding
 * out everything it lacks at once, and is redone once that is read.
 */
class View {
  users = new Map<string, UserState | null>();
  userNames = new Map<string, string | null>();
  groups = new Map<string, (GroupRow & { created: boolean }) | null>();
  groupNames = new Map<string, string | null>();
  memberships = new Map<string, Membership>();
  /** Whether a fact was lacking. */
  incomplete = false;

  constructor(
    readonly facts: Facts,
    readonly at: number,
  ) {}

  private lack<T>(list: T[], item: T): void {
    list.push(item);
    this.incomplete = true;
  }

  user(id: string, withData = false): UserState | null {
    const current = this.users.get(id);
    if (current === null) return null;
    if (current && (!withData || current.data !== null)) return current;
    const known = this.facts.users.get(id);
    if (known === undefined || (withData && known && known.data === null)) {
      this.lack(withData ? this.facts.missing.usersWithData : this.facts.missing.users, id);
      return null;
    }
    const state: UserState | null = known ? { ...known, created: false } : null;
    this.users.set(id, state);
    return state;
  }

  userNameOwner(norm: string): string | null {
    if (this.userNames.has(norm)) return this.userNames.get(norm)!;
    const known = this.facts.userNames.get(norm);
    if (known === undefined) this.lack(this.facts.missing.userNames, norm);
    return known ?? null;
  }

  group(id: string): (GroupRow & { created: boolean }) | null {
    if (this.groups.has(id)) return this.groups.get(id)!;
    const known = this.facts.groups.get(id);
    if (known === undefined) {
      this.lack(this.facts.missing.groups, id);
      return null;
    }
    const state = known ? { ...known, created: false } : null;
    this.groups.set(id, state);
    return state;
  }

  groupNameOwner(norm: string): string | null {
    if (this.groupNames.has(norm)) return this.groupNames.get(norm)!;
    const known = this.facts.groupNames.get(norm);
    if (known === undefined) this.lack(this.facts.missing.groupNames, norm);
    return known ?? null;
  }

  membership(groupId: string): Membership {
    let m = this.memberships.get(groupId);
    if (!m) {
      m = { cleared: false, members: new Map() };
      this.memberships.set(groupId, m);
    }
    return m;
  }

  isMember(groupId: string, userId: string): boolean {
    const m = this.memberships.get(groupId);
    if (m?.members.has(userId)) return m.members.get(userId)!;
    if (m?.cleared) return false;
    const known = this.facts.pairs.get(pairKey(groupId, userId));
    if (known === undefined) this.lack(this.facts.missing.pairs, [groupId, userId]);
    return known ?? false;
  }

  /** The groups the user is a member of now: those it was in (read) and those this request added it to. */
  groupsOf(userId: string, created: boolean): string[] {
    const before = created ? [] : this.facts.groupsOfUsers.get(userId);
    if (before === undefined) this.lack(this.facts.missing.groupsOfUsers, userId);
    const candidates = new Set(before ?? []);
    for (const [groupId, m] of this.memberships) if (m.members.get(userId)) candidates.add(groupId);
    return [...candidates].filter((g) => this.group(g) && this.isMember(g, userId));
  }
}

function check(ifMatch: IfMatch, version: number) {
  if (!ifMatchHolds(ifMatch, version)) throw ScimError.preconditionFailed();
}

/** One operation on the view: its single form's rules, step by step. Throws ScimError for its error. */
function apply(view: View, intent: Exclude<BulkIntent, { kind: "failed" }>): { status: 200 | 201 | 204; version?: number } {
  const at = view.at;
  switch (intent.kind) {
    case "createUser": {
      const record = storableUserRecord(intent.resource);
      if (view.userNameOwner(record.userNameKey)) throw userNameTaken(record.userName);
      view.users.set(intent.id, { id: intent.id, version: 1, createdAt: at, lastModified: at, userNameKey: record.userNameKey, data: record.data, record, created: true });
      view.userNames.set(record.userNameKey, intent.id);
      return { status: 201, version: 1 };
    }
    case "replaceUser":
    case "patchUser": {
      const user = view.user(intent.id, true);
      if (!user) throw userNotFound(intent.id);
      check(intent.ifMatch, user.version);
      const resource = intent.kind === "replaceUser" ? intent.resource : patchUser(JSON.parse(user.data!) as Json, intent.patch);
      const record = storableUserRecord(resource);
      // Same canonical JSON: nothing to write, and version and lastModified stay as they are.
      if (record.data === user.data) return { status: 200, version: user.version };
      if (record.userNameKey !== user.userNameKey) {
        const owner = view.userNameOwner(record.userNameKey);
        if (owner && owner !== user.id) throw userNameTaken(record.userName);
        view.userNames.set(user.userNameKey, null);
        view.userNames.set(record.userNameKey, user.id);
      }
      const next: UserState = {
        ...user,
        version: user.version + 1,
        lastModified: Math.max(at, user.lastModified),
        userNameKey: record.userNameKey,
        data: record.data,
        record,
      };
      view.users.set(user.id, next);
      return { status: 200, version: next.version };
    }
    case "deleteUser": {
      // With its resource: the user.deleted event carries the user as it was.
      const user = view.user(intent.id, true);
      if (!user) throw userNotFound(intent.id);
      check(intent.ifMatch, user.version);
      // Every group the user leaves gains one version and loses one member.
      for (const groupId of view.groupsOf(user.id, user.created)) {
        const group = view.group(groupId)!;
        view.groups.set(groupId, {
          ...group,
          version: group.version + 1,
          memberCount: group.memberCount - 1,
          lastModified: Math.max(group.lastModified, at),
        });
        view.membership(groupId).members.set(user.id, false);
      }
      view.users.set(user.id, null);
      view.userNames.set(user.userNameKey, null);
      return { status: 204 };
    }
    case "createGroup": {
      const members = [...new Set(intent.group.members)];
      const unknown = members.filter((id) => !view.user(id));
      if (unknown.length) throw unknownMembersError(unknown);
      const norm = fold(intent.group.displayName);
      if (view.groupNameOwner(norm)) throw groupNameTaken();
      const row: GroupRow = {
        id: intent.id,
        orgId: "",
        displayName: intent.group.displayName,
        displayNameNorm: norm,
        externalId: intent.group.externalId,
        version: 1,
        createdAt: at,
        lastModified: at,
        memberCount: members.length,
        data: groupData(intent.group.displayName, intent.group.externalId),
      };
      view.groups.set(intent.id, { ...row, created: true });
      view.groupNames.set(norm, intent.id);
      view.memberships.set(intent.id, { cleared: true, members: new Map(members.map((id) => [id, true])) });
      return { status: 201, version: 1 };
    }
    case "replaceGroup":
    case "patchGroup": {
      const change: GroupChange =
        intent.kind === "patchGroup"
          ? intent.change
          : {
              displayName: intent.group.displayName,
              externalId: intent.group.externalId,
              memberOps: [{ kind: "replace", ids: intent.group.members }],
            };
      const group = view.group(intent.id);
      if (!group) throw groupNotFound(intent.id);
      check(intent.ifMatch, group.version);
      const ids = referencedIds(change.memberOps);
      const states = new Map(ids.map((id) => [id, { isUser: !!view.user(id), isMember: view.isMember(group.id, id) }]));
      const plan = planMembership(change.memberOps as MemberOp[], states, group.memberCount);
      if (plan.unknownIds.length) throw unknownMembersError(plan.unknownIds);
      const displayName = change.displayName ?? group.displayName;
      const externalId = change.externalId === undefined ? group.externalId : change.externalId;
      const attributesChanged = displayName !== group.displayName || externalId !== group.externalId;
      const status = intent.kind === "patchGroup" ? 204 : 200;
      if (!plan.changed && !attributesChanged) return { status, version: group.version };
      const norm = fold(displayName);
      if (norm !== group.displayNameNorm) {
        const owner = view.groupNameOwner(norm);
        if (owner && owner !== group.id) throw groupNameTaken();
        view.groupNames.set(group.displayNameNorm, null);
        view.groupNames.set(norm, group.id);
      }
      view.groups.set(group.id, {
        ...group,
        displayName,
        displayNameNorm: norm,
        externalId,
        data: groupData(displayName, externalId),
        memberCount: plan.memberCount,
        version: group.version + 1,
        // lastModified never goes backwards, even if the caller's clock is behind the last writer's.
        lastModified: Math.max(at, group.lastModified),
      });
      const membership = view.membership(group.id);
      if (plan.clearAll) {
        membership.cleared = true;
        for (const id of membership.members.keys()) membership.members.set(id, false);
      }
      for (const id of plan.toDelete) membership.members.set(id, false);
      for (const id of plan.toInsert) membership.members.set(id, true);
      return { status, version: group.version + 1 };
    }
    case "deleteGroup": {
      const group = view.group(intent.id);
      if (!group) throw groupNotFound(intent.id);
      check(intent.ifMatch, group.version);
      view.groups.set(group.id, null);
      view.groupNames.set(group.displayNameNorm, null);
      view.memberships.delete(group.id);
      return { status: 204 };
    }
  }
}

/** Runs the steps over a fresh view of `facts`. */
function plan(facts: Facts, steps: BulkStep[], failOnErrors: number | undefined, at: number) {
  const view = new View(facts, at);
  const outcomes: BulkOutcome[] = [];
  const succeeded = new Set<number>();
  let errors = 0;
  for (const step of steps) {
    if (failOnErrors !== undefined && errors >= failOnErrors && !view.incomplete) break;
    let outcome: BulkOutcome;
    const failedDependency = step.dependsOn.find((i) => !succeeded.has(i));
    if (step.intent.kind === "failed") {
      outcome = { index: step.index, ok: false, error: step.intent.error };
    } else if (failedDependency !== undefined) {
      outcome = {
        index: step.index,
        ok: false,
        error: errorToValue(new ScimError(409, `Operations[${failedDependency}], whose bulkId this operation references, did not create its resource`)),
      };
    } else {
      try {
        outcome = { index: step.index, ok: true, ...apply(view, step.intent) };
      } catch (err) {
        if (!(err instanceof ScimError)) throw err;
        outcome = { index: step.index, ok: false, error: errorToValue(err) };
      }
    }
    if (outcome.ok) succeeded.add(step.index);
    // While facts are lacking, errors may be the placeholders' doing: run every step to learn all it lacks.
    else if (!view.incomplete) errors++;
    outcomes.push(outcome);
  }
  return { view, outcomes };
}

/** The writes that take the database from the facts read to the view. */
function writesOf(view: View, orgId: string): BulkWrites {
  const w: BulkWrites = {
    userVersions: [],
    insertUsers: [],
    updateUsers: [],
    insertGroups: [],
    updateGroups: [],
    clearGroups: [],
    deletePairs: [],
    insertPairs: [],
    deleteGroups: [],
    deleteUsers: [],
    renamedUsers: [],
    renamedGroups: [],
  };
  const deletedUsers = new Set<string>();
  for (const [id, user] of view.users) {
    const read = view.facts.users.get(id);
    if (user === null) {
      if (read) {
        w.deleteUsers.push(id);
        w.userVersions.push({ id, version: read.version });
        deletedUsers.add(id);
      }
      continue;
    }
    if (!user.record) continue;
    const row = { id, ...user.record, version: user.version, createdAt: user.createdAt, lastModified: user.lastModified };
    if (user.created) w.insertUsers.push(row);
    else {
      w.updateUsers.push(row);
      w.userVersions.push({ id, version: read!.version });
      if (read!.userNameKey !== user.userNameKey) w.renamedUsers.push(id);
    }
  }
  for (const [id, group] of view.groups) {
    const read = view.facts.groups.get(id);
    if (group === null) {
      if (read) w.deleteGroups.push(id);
      continue;
    }
    const { created: _created, ...row } = group;
    const final: GroupRow = { ...row, orgId };
    if (group.created) w.insertGroups.push(final);
    else if (read && group.version !== read.version) {
      w.updateGroups.push({ row: final, readVersion: read.version });
      if (read.displayNameNorm !== group.displayNameNorm) w.renamedGroups.push(id);
    }
  }
  for (const [groupId, m] of view.memberships) {
    const group = view.groups.get(groupId);
    if (!group) continue;
    if (m.cleared && !group.created) w.clearGroups.push(groupId);
    for (const [userId, member] of m.members) {
      if (deletedUsers.has(userId) || view.users.get(userId) === null) continue;
      const before = !group.created && view.facts.pairs.get(pairKey(groupId, userId)) === true;
      if (member && (m.cleared || !before)) w.insertPairs.push([groupId, userId]);
      if (!member && before && !m.cleared) w.deletePairs.push([groupId, userId]);
    }
  }
  return w;
}

/**
 * The events of the request's net effect (what `writesOf` writes; a resource created and deleted by
 * the same request emits nothing), as statements of the write's own batch. Those read from the rows
 * the writes change go `before` them: the members a replace drops, and the groups deleted users
 * leave. The rest go `after` (membership events join the users the request may create): users
 * created and changed, groups created and changed, who joined and left which group, then the users
 * and groups deleted.
 */
function eventsOf(
  d1: D1Database,
  view: View,
  w: BulkWrites,
  orgId: string,
  at: number,
  baseUrl: string,
): { before: D1PreparedStatement[]; after: D1PreparedStatement[] } {
  const changed: OutboxEvent[] = [];
  const gone: OutboxEvent[] = [];
  const deleted = new Set(w.deleteUsers);
  for (const row of w.insertUsers) changed.push(userCreated(row, baseUrl));
  for (const row of w.updateUsers) {
    const read = view.facts.users.get(row.id)!;
    changed.push(userUpdated({ ...read, data: read.data ?? "{}" }, row, baseUrl));
  }
  for (const row of w.insertGroups) changed.push(groupCreated(row, baseUrl));
  for (const { row } of w.updateGroups) {
    const read = view.facts.groups.get(row.id)!;
    if (read.data !== row.data) changed.push(groupUpdated(read, row, baseUrl));
  }
  const joined: [string, string][] = [];
  const left: [string, string][] = [];
  const replaced: string[] = [];
  const kept: [string, string][] = [];
  for (const [groupId, m] of view.memberships) {
    const group = view.groups.get(groupId);
    if (!group) continue;
    // Everyone in a replaced group that the request does not keep leaves (deleted users: by their own events).
    if (m.cleared && !group.created) replaced.push(groupId);
    for (const [userId, member] of m.members) {
      if (deleted.has(userId) || view.users.get(userId) === null) continue;
      const was = !group.created && view.facts.pairs.get(pairKey(groupId, userId)) === true;
      if (member && m.cleared) kept.push([groupId, userId]);
      if (member && !was) joined.push([groupId, userId]);
      if (!member && was && !m.cleared) left.push([groupId, userId]);
    }
  }
  for (const id of w.deleteUsers) {
    const read = view.facts.users.get(id)!;
    gone.push(userDeleted({ ...read, data: read.data ?? "{}" }, baseUrl));
  }
  for (const id of w.deleteGroups) gone.push(groupDeleted(view.facts.groups.get(id)!, baseUrl));
  return {
    before: bulkLeavingEventsStatements(d1, orgId, at, replaced, kept, w.deleteUsers),
    after: [
      ...insertEventsStatements(d1, orgId, at, changed),
      ...pairEventsStatements(d1, orgId, at, "group.user_removed", left),
      ...pairEventsStatements(d1, orgId, at, "group.user_added", joined),
      ...insertEventsStatements(d1, orgId, at, gone),
    ],
  };
}

/**
 * Plans and writes a Bulk request's steps (in the order they run). Returns each run step's outcome,
 * and the ids of the users it created; throws ScimError 503 when it could not write.
 */
export async function runBulk(
  db: Db,
  orgId: string,
  steps: BulkStep[],
  failOnErrors: number | undefined,
  at: number,
  /** The SCIM base URL the request's events render locations with; undefined: store no events (the benchmark). */
  eventsBaseUrl: string | undefined,
): Promise<{ outcomes: BulkOutcome[]; createdUsers: string[] }> {
  for (let attempt = 0; attempt < MAX_PLAN_ATTEMPTS; attempt++) {
    const facts = new Facts();
    let result = plan(facts, steps, failOnErrors, at);
    for (let round = 0; result.view.incomplete; round++) {
      if (round === MAX_FACT_ROUNDS) throw ScimError.unavailable("The bulk request could not be planned; retry");
      await facts.read(db, orgId);
      result = plan(facts, steps, failOnErrors, at);
    }
    const writes = writesOf(result.view, orgId);
    try {
      const events = eventsBaseUrl === undefined ? { before: [], after: [] } : eventsOf(db.$client, result.view, writes, orgId, at, eventsBaseUrl);
      await writeBulk(db, orgId, writes, events);
    } catch (err) {
      // A concurrent request changed a user this plan read, or took a userName it gives: nothing
      // was written; plan again from fresh reads.
      if (isStalePlan(err) || isUserNameTaken(err)) continue;
      throw err;
    }
    return { outcomes: result.outcomes, createdUsers: writes.insertUsers.map((u) => u.id) };
  }
  throw ScimError.unavailable("The organization's users are being changed by other requests at the same time; retry the bulk request");
}

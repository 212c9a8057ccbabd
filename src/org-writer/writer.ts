/**
 * OrgWriter: one Durable Object per organization (`idFromName(orgId)`), the only path for group
 * writes, membership writes and user deletion, so that no two of them interleave.
 *
 * A Durable Object does NOT serialise its outgoing D1 calls: its input gate opens while a D1 query is
 * in flight, so a second RPC would start reading before the first one's batch landed. The writer
 * therefore keeps its own FIFO queue (a promise chain) and runs exactly one write at a time; each
 * write is one atomic db.batch. Domain errors are returned as values, because errors thrown across
 * RPC lose their custom fields.
 *
 * Every write takes `at`, the caller's "now" (the request's clock, so that tests can move time), and
 * never moves a group's lastModified backwards.
 */
import { DurableObject } from "cloudflare:workers";
import { database, type Db } from "../db/client";
import { isUniqueViolation } from "../db/errors";
import {
  bumpGroupsOfUserStatement,
  clearMembersStatement,
  deleteGroupStatement,
  deleteMembersStatements,
  insertGroupStatement,
  insertMembersStatements,
  memberStates,
  updateGroupStatement,
  type WriteStatement,
} from "../db/group-writes";
import { findGroup, type GroupRow } from "../db/groups";
import { deleteUserStatement, findUserVersion } from "../db/user-deletion";
import type { Env } from "../env";
import { newId } from "../lib/crypto";
import { errorToValue, ScimError } from "../scim/errors";
import { ifMatchHolds, type IfMatch } from "../scim/etag";
import { groupData, type GroupChange, type GroupWrite } from "../scim/resource/group";
import { fold } from "../scim/text";
import { writerUnavailable, type WriteResult } from "./result";
import { runBulk, type BulkOutcome, type BulkStep } from "./bulk";
import { groupNameTaken, groupNotFound, unknownMembersError, userNotFound } from "./errors";
import { planMembership, referencedIds } from "./membership";

export type { BulkOutcome, BulkStep, IfMatch, WriteResult };

function checkIfMatch(ifMatch: IfMatch, version: number) {
  if (!ifMatchHolds(ifMatch, version)) throw ScimError.preconditionFailed();
}

function refuseUnknownMembers(unknownIds: string[]) {
  if (unknownIds.length) throw unknownMembersError(unknownIds);
}

export class OrgWriter extends DurableObject<Env> {
  /** The D1 binding writes go to; a test may swap in an instrumented one via runInDurableObject. */
  d1: D1Database = this.env.DB;
  private tail: Promise<unknown> = Promise.resolve();

  /** Runs `task` after every earlier one has finished: one write per org at a time, in arrival order. */
  private serialised<T>(task: (db: Db) => Promise<T>): Promise<WriteResult<T>> {
    const run = this.tail.then(async (): Promise<WriteResult<T>> => {
      try {
        return { ok: true, value: await task(database(this.d1)) };
      } catch (err) {
        if (err instanceof ScimError) return errorToValue(err);
        if (isUniqueViolation(err, "groups.org_id, groups.display_name_norm")) return errorToValue(groupNameTaken());
        // An infrastructure failure (D1 unreachable, a batch refused): the batch is atomic, so nothing
        // was written. A value too, not a throw: the route answers 503 with Retry-After.
        console.error("OrgWriter write failed:", err);
        return errorToValue(writerUnavailable());
      }
    });
    this.tail = run.catch(() => {});
    return run;
  }

  createGroup(orgId: string, input: GroupWrite, at = Date.now()): Promise<WriteResult<GroupRow>> {
    return this.serialised(async (db) => {
      const members = [...new Set(input.members)];
      const states = await memberStates(db, orgId, null, members);
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
      await db.batch([insertGroupStatement(db, row), ...insertMembersStatements(db, orgId, row.id, members)]);
      return row;
    });
  }

  replaceGroup(orgId: string, groupId: string, input: GroupWrite, ifMatch: IfMatch, at = Date.now()): Promise<WriteResult<GroupRow>> {
    return this.patchGroup(
      orgId,
      groupId,
      { displayName: input.displayName, externalId: input.externalId, memberOps: [{ kind: "replace", ids: input.members }] },
      ifMatch,
      at,
    );
  }

  patchGroup(orgId: string, groupId: string, patch: GroupChange, ifMatch: IfMatch, at = Date.now()): Promise<WriteResult<GroupRow>> {
    return this.serialised(async (db) => {
      const group = await findGroup(db, orgId, groupId);
      if (!group) throw groupNotFound(groupId);
      checkIfMatch(ifMatch, group.version);

      const ids = referencedIds(patch.memberOps);
      const states = ids.length ? await memberStates(db, orgId, groupId, ids) : new Map();
      const plan = planMembership(patch.memberOps, states, group.memberCount);
      refuseUnknownMembers(plan.unknownIds);

      const next = {
        ...group,
        displayName: patch.displayName ?? group.displayName,
        externalId: patch.externalId === undefined ? group.externalId : patch.externalId,
        memberCount: plan.memberCount,
      };
      next.displayNameNorm = fold(next.displayName);
      next.data = groupData(next.displayName, next.externalId);
      const attributesChanged = next.displayName !== group.displayName || next.externalId !== group.externalId;
      if (!plan.changed && !attributesChanged) return group; // nothing changes: version and lastModified stay

      // lastModified never goes backwards, even if the caller's clock is behind the last writer's.
      const now = Math.max(at, group.lastModified);
      const statements: WriteStatement[] = [];
      if (plan.clearAll) statements.push(clearMembersStatement(db, groupId));
      statements.push(...deleteMembersStatements(db, groupId, plan.toDelete));
      statements.push(...insertMembersStatements(db, orgId, groupId, plan.toInsert));
      statements.push(updateGroupStatement(db, next, group.version, now));
      await db.batch(statements as [WriteStatement, ...WriteStatement[]]);
      return { ...next, version: group.version + 1, lastModified: now };
    });
  }

  deleteGroup(orgId: string, groupId: string, ifMatch: IfMatch): Promise<WriteResult<null>> {
    return this.serialised(async (db) => {
      const group = await findGroup(db, orgId, groupId);
      if (!group) throw groupNotFound(groupId);
      checkIfMatch(ifMatch, group.version);
      await db.batch([deleteGroupStatement(db, orgId, groupId)]);
      return null;
    });
  }

  /**
   * Runs a Bulk request's operations (in the order given), as one write of this organization: no
   * other group, membership or user-deletion write interleaves with it (see ./bulk).
   */
  bulk(orgId: string, steps: BulkStep[], failOnErrors: number | undefined, at = Date.now()) {
    return this.serialised((db) => runBulk(db, orgId, steps, failOnErrors, at));
  }

  /** Deletes a user with everything that hangs off it; each group it was in gains one version. */
  deleteUser(orgId: string, userId: string, ifMatch: IfMatch, at = Date.now()): Promise<WriteResult<null>> {
    return this.serialised(async (db) => {
      const version = await findUserVersion(db, orgId, userId);
      if (version === undefined) throw userNotFound(userId);
      checkIfMatch(ifMatch, version);
      await db.batch([bumpGroupsOfUserStatement(db, orgId, userId, at), deleteUserStatement(db, orgId, userId)]);
      return null;
    });
  }
}

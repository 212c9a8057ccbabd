/**
 * User operations: the resource contract (src/scim) applied to the stored aggregate (src/db), with
 * the protocol's errors. Creates and updates are optimistic — read, compute, write conditioned on the
 * version read — so concurrent updates never overwrite each other; an update that loses its race twice
 * is handed to the org's OrgWriter, which serialises it. Deletion goes through the OrgWriter too,
 * because it changes the groups the user leaves.
 */
import { groupsOfUsers } from "../db/user-groups";
import { DEFAULT_USER_ORDER, USER_ATTRIBUTE_MAP } from "../db/user-attributes";
import { findUser, insertUser, listUsers, updateUser } from "../db/users";
import { findUserWithGroups } from "../db/user-reads";
import { newId } from "../lib/crypto";
import { ifMatchAllows, ifMatchCondition } from "../scim/etag";
import { ScimError } from "../scim/errors";
import type { ListRequest } from "../scim/list-request";
import {
  applyUserChange,
  storableUserRecord,
  userFromBody,
  userNameTaken,
  type StoredUser,
  type UserChange,
  type UserGroup,
} from "../scim/resource/user";
import { USER_RESOURCE } from "../scim/schemas";
import type { Json } from "../scim/values";
import { viaWriter } from "../org-writer/client";
import type { UpdatedUser } from "../org-writer/writer";
import type { CursorMac } from "../scim/cursor";
import { userCreated, userUpdated } from "../events/model";
import { listPlan } from "./list-query";
import { readConfirmed, type OrgScope } from "./scope";


/**
 * How often a user write tries its optimistic write directly before handing it to the org's OrgWriter:
 * a write that lost its race this often is contended, and the writer serialises it with the others
 * that lost (so 50 concurrent PATCHes of one user all land instead of some answering 503).
 */
export const DIRECT_WRITE_ATTEMPTS = 2;

function notFound(id: string): ScimError {
  return ScimError.notFound(`User ${id} not found`);
}

function taken(resource: Json): ScimError {
  return userNameTaken(resource.userName);
}

export async function getUser(scope: OrgScope, id: string): Promise<StoredUser> {
  const user = await findUser(scope.db, scope.orgId, id);
  if (!user) throw notFound(id);
  return user;
}

export async function createUser(scope: OrgScope, body: Json): Promise<StoredUser> {
  const resource = userFromBody(body);
  const result = await insertUser(scope.db, scope.orgId, newId(), storableUserRecord(resource), scope.now(), (user) =>
    scope.events ? [userCreated(user, scope.baseUrl)] : [],
  );
  if (!result.ok) throw taken(resource);
  return result.user;
}

/** A user written by PUT or PATCH, with its groups when asked for (read in the write's own round trip). */
export type { UpdatedUser };

/**
 * Applies `change` to the current resource until the write lands; an unchanged resource is not
 * written. Two round trips to D1 when uncontended: the read, then the version-guarded write batch
 * (which also reads the user's groups, with `withGroups`). A write that loses its race
 * DIRECT_WRITE_ATTEMPTS times goes to the org's writer, which serialises it; 503 only if the writer
 * cannot be reached.
 */
async function changeUser(
  scope: OrgScope,
  id: string,
  ifMatch: string | undefined,
  change: UserChange,
  withGroups: boolean,
): Promise<UpdatedUser> {
  for (let attempt = 0; attempt < DIRECT_WRITE_ATTEMPTS; attempt++) {
    const current = await getUser(scope, id);
    if (!ifMatchAllows(ifMatch, current.version)) throw ScimError.preconditionFailed();
    const next = applyUserChange(JSON.parse(current.data) as Json, change);
    const record = storableUserRecord(next);
    // Same canonical JSON: nothing to write, and version and lastModified stay as they are.
    if (record.data === current.data) return { user: current };
    // lastModified never goes backwards, even if this isolate's clock is behind the last writer's.
    const now = Math.max(scope.now(), current.lastModified);
    const result = await updateUser(scope.db, scope.orgId, current, record, now, withGroups, (user) =>
      scope.events ? [userUpdated(current, user, scope.baseUrl)] : [],
    );
    if (result.ok) return { user: result.user, groups: result.groups };
    if (result.reason === "userNameTaken") throw taken(next);
  }
  return viaWriter(() =>
    scope.writer().updateUser(scope.orgId, id, change, ifMatchCondition(ifMatch), scope.now(), withGroups, scope.baseUrl),
  );
}

/** PUT. With `withGroups`, the answer carries the user's groups (unless nothing was written). */
export function replaceUser(scope: OrgScope, id: string, body: Json, ifMatch?: string, withGroups = false): Promise<UpdatedUser> {
  return changeUser(scope, id, ifMatch, { replace: userFromBody(body) }, withGroups);
}

export function patchUserById(scope: OrgScope, id: string, body: Json, ifMatch?: string, withGroups = false): Promise<UpdatedUser> {
  return changeUser(scope, id, ifMatch, { patch: body }, withGroups);
}

/**
 * Deletion goes through the org's writer: it leaves groups (each bumping its version once), so it must
 * not interleave with membership writes that could re-add the user.
 */
export async function removeUser(scope: OrgScope, id: string, ifMatch?: string): Promise<void> {
  await viaWriter(() => scope.writer().deleteUser(scope.orgId, id, ifMatchCondition(ifMatch), scope.now(), scope.baseUrl));
}

/** The groups of some users (one statement), for rendering their read-only `groups`. */
export async function groupsOf(scope: OrgScope, userIds: string[]): Promise<Map<string, UserGroup[]>> {
  const byUser = await groupsOfUsers(scope.db, scope.orgId, userIds);
  return new Map([...byUser].map(([id, { groups }]) => [id, groups]));
}

/**
/**
 * A page of users; with `withGroups`, their read-only `groups` too, read in the same round trip. A
 * page that finds nobody on a replica is confirmed on the primary (no duplicate create from lag).
 * `cursors` signs RFC 9865 cursors (undefined: the deployment has none, and cursor requests get 501).
 */
export async function searchUsers(scope: OrgScope, request: ListRequest, withGroups: boolean, cursors?: CursorMac) {
  const plan = await listPlan(scope, request, USER_RESOURCE, USER_ATTRIBUTE_MAP, DEFAULT_USER_ORDER, cursors);
  const { total, users, groups, otherSide } = await readConfirmed(
    scope,
    (db) => listUsers(db, scope.orgId, plan.query, withGroups),
    (page) => page.total === 0,
  );
  const page = await plan.page(users, otherSide);
  return { total, users: page.rows, groups, nextCursor: page.nextCursor, previousCursor: page.previousCursor };
}

/** GET /Users/{id}: the user and, when rendered, its groups, in one round trip; 404 when absent. */
export async function readUser(scope: OrgScope, id: string, withGroups: boolean): Promise<{ user: StoredUser; groups: UserGroup[] }> {
  const found = await readConfirmed(scope, (db) => findUserWithGroups(db, scope.orgId, id, withGroups), (r) => r === undefined);
  if (!found) throw notFound(id);
  return found;
}

/**
 * User operations: the resource contract (src/scim) applied to the stored aggregate (src/db), with
 * the protocol's errors. Creates and updates are optimistic — read, compute, write conditioned on the
 * version read, retry on a lost race — so concurrent updates never overwrite each other. Deletion goes
 * through the org's OrgWriter, because it changes the groups the user leaves.
 */
import { groupsOfUsers } from "../db/user-groups";
import { DEFAULT_USER_ORDER, USER_ATTRIBUTE_MAP } from "../db/user-attributes";
import { findUser, insertUser, listUsers, updateUser } from "../db/users";
import { newId } from "../lib/crypto";
import { ifMatchAllows, ifMatchCondition } from "../scim/etag";
import { ScimError } from "../scim/errors";
import type { ListRequest } from "../scim/list-request";
import { patchUser, storableUserRecord, userFromBody, userNameTaken, type StoredUser, type UserGroup } from "../scim/resource/user";
import { USER_RESOURCE } from "../scim/schemas";
import type { Json } from "../scim/values";
import { viaWriter } from "../org-writer/client";
import type { CursorMac } from "../scim/cursor";
import { listPlan } from "./list-query";
import type { OrgScope } from "./scope";


/**
 * How often a write re-reads after losing a race before giving up with 503. Every round lets at least
 * one of the competing writers through, so this bounds the concurrency that always succeeds; each
 * round costs two statements, far below the 1,000 a Worker invocation may run.
 */
export const MAX_WRITE_ATTEMPTS = 16;

function notFound(id: string): ScimError {
  return ScimError.notFound(`User ${id} not found`);
}

function taken(resource: Json): ScimError {
  return userNameTaken(resource.userName);
}

/** The record, if it fits a D1 row (see MAX_STORED_RESOURCE_BYTES). */
const storable = storableUserRecord;

export async function getUser(scope: OrgScope, id: string): Promise<StoredUser> {
  const user = await findUser(scope.db, scope.orgId, id);
  if (!user) throw notFound(id);
  return user;
}

export async function createUser(scope: OrgScope, body: Json): Promise<StoredUser> {
  const resource = userFromBody(body);
  const result = await insertUser(scope.db, scope.orgId, newId(), storable(resource), scope.now());
  if (!result.ok) throw taken(resource);
  return result.user;
}

/** Applies `change` to the current resource until the write lands; an unchanged resource is not written. */
async function changeUser(
  scope: OrgScope,
  id: string,
  ifMatch: string | undefined,
  change: (current: Json) => Json,
): Promise<StoredUser> {
  for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
    const current = await getUser(scope, id);
    if (!ifMatchAllows(ifMatch, current.version)) throw ScimError.preconditionFailed();
    const next = change(JSON.parse(current.data) as Json);
    const record = storable(next);
    // Same canonical JSON: nothing to write, and version and lastModified stay as they are.
    if (record.data === current.data) return current;
    // lastModified never goes backwards, even if this isolate's clock is behind the last writer's.
    const now = Math.max(scope.now(), current.lastModified);
    const result = await updateUser(scope.db, scope.orgId, current, record, now);
    if (result.ok) return result.user;
    if (result.reason === "userNameTaken") throw taken(next);
  }
  throw ScimError.unavailable("The user is being changed by other requests at the same time; retry");
}

export function replaceUser(scope: OrgScope, id: string, body: Json, ifMatch?: string): Promise<StoredUser> {
  const replacement = userFromBody(body);
  return changeUser(scope, id, ifMatch, () => replacement);
}

export function patchUserById(scope: OrgScope, id: string, body: Json, ifMatch?: string): Promise<StoredUser> {
  return changeUser(scope, id, ifMatch, (current) => patchUser(current, body));
}

/**
 * Deletion goes through the org's writer: it leaves groups (each bumping its version once), so it must
 * not interleave with membership writes that could re-add the user.
 */
export async function removeUser(scope: OrgScope, id: string, ifMatch?: string): Promise<void> {
  await viaWriter(() => scope.writer().deleteUser(scope.orgId, id, ifMatchCondition(ifMatch), scope.now()));
}

/** The groups of some users (one statement), for rendering their read-only `groups`. */
export async function groupsOf(scope: OrgScope, userIds: string[]): Promise<Map<string, UserGroup[]>> {
  const byUser = await groupsOfUsers(scope.db, scope.orgId, userIds);
  return new Map([...byUser].map(([id, { groups }]) => [id, groups]));
}

/**
 * A page of users; with `withGroups`, their read-only `groups` too, read in the same round trip.
 * `cursors` signs RFC 9865 cursors (undefined: the deployment has none, and cursor requests get 501).
 */
export async function searchUsers(scope: OrgScope, request: ListRequest, withGroups: boolean, cursors?: CursorMac) {
  const plan = await listPlan(scope, request, USER_RESOURCE, USER_ATTRIBUTE_MAP, DEFAULT_USER_ORDER, cursors);
  const { total, users, groups, otherSide } = await listUsers(scope.db, scope.orgId, plan.query, withGroups);
  const page = await plan.page(users, otherSide);
  return { total, users: page.rows, groups, nextCursor: page.nextCursor, previousCursor: page.previousCursor };
}

/**
 * Group operations: the resource contract (src/scim) turned into writes for the organization's
 * OrgWriter — the only path for group and membership writes — and reads straight from D1.
 */
import { DEFAULT_GROUP_ORDER, GROUP_ATTRIBUTE_MAP } from "../db/group-attributes";
import { allMembers, findGroupWithMembers, MEMBER_READ_CHUNK, membersOfGroups, type FirstMembers, type MemberRow } from "../db/group-members";
import { listGroups } from "../db/groups";
import { viaWriter } from "../org-writer/client";
import { ifMatchCondition } from "../scim/etag";
import { ScimError } from "../scim/errors";
import type { ListRequest } from "../scim/list-request";
import { groupChangeFromPatch, groupFromBody, type StoredGroup } from "../scim/resource/group";
import { GROUP_RESOURCE } from "../scim/schemas";
import type { Json } from "../scim/values";
import type { CursorMac } from "../scim/cursor";
import { listPlan } from "./list-query";
import { readConfirmed, type OrgScope } from "./scope";

export type { MemberRow };

/**
 * GET /Groups/{id}: the group and, when rendered, its first chunk of members, in one round trip;
 * unless `complete`, the rest streams via memberChunks after the chunk's last user.
 */
export async function readGroup(
  scope: OrgScope,
  id: string,
  withMembers: boolean,
): Promise<{ group: StoredGroup; members?: MemberRow[]; complete?: boolean }> {
  const found = await readConfirmed(scope, (db) => findGroupWithMembers(db, scope.orgId, id, withMembers), (r) => r === undefined);
  if (!found) throw ScimError.notFound(`Group ${id} not found`);
  return found;
}

/** The group's members (after `afterUser`) in keyset chunks (memory stays bounded whatever the group's size). */
export function memberChunks(scope: OrgScope, groupId: string, afterUser = ""): AsyncGenerator<MemberRow[]> {
  return allMembers(scope.reads, groupId, MEMBER_READ_CHUNK, afterUser);
}

/**
 * A written group; with `withMembers` (the answer renders them), its first chunk of members read by
 * the writer in the write's own batch — absent when the write changed nothing, or the group is empty.
 */
export type WrittenGroup = StoredGroup & { firstMembers?: FirstMembers };

export function createGroup(scope: OrgScope, body: Json, withMembers = false): Promise<WrittenGroup> {
  const group = groupFromBody(body);
  return viaWriter(() => scope.writer().createGroup(scope.orgId, group, scope.now(), scope.baseUrl, withMembers));
}

/** PUT: the whole group, member set included (omitted `members` empties the group). */
export function replaceGroup(scope: OrgScope, id: string, body: Json, ifMatch?: string, withMembers = false): Promise<WrittenGroup> {
  const group = groupFromBody(body);
  return viaWriter(() =>
    scope.writer().replaceGroup(scope.orgId, id, group, ifMatchCondition(ifMatch), scope.now(), scope.baseUrl, withMembers),
  );
}

export function patchGroup(scope: OrgScope, id: string, body: Json, ifMatch?: string, withMembers = false): Promise<WrittenGroup> {
  const change = groupChangeFromPatch(body);
  return viaWriter(() =>
    scope.writer().patchGroup(scope.orgId, id, change, ifMatchCondition(ifMatch), scope.now(), scope.baseUrl, withMembers),
  );
}

export async function removeGroup(scope: OrgScope, id: string, ifMatch?: string): Promise<void> {
  await viaWriter(() => scope.writer().deleteGroup(scope.orgId, id, ifMatchCondition(ifMatch), scope.now(), scope.baseUrl));
}

/**
/**
 * A page of groups; with `withMembers`, their members in the same round trip when they fit one chunk
 * (`members`), otherwise read by `membersOfGroupRun` / `memberChunks` as they are rendered; and its
 * RFC 9865 cursors when the request pages by cursor (see searchUsers).
 */
export async function searchGroups(scope: OrgScope, request: ListRequest, withMembers = false, cursors?: CursorMac) {
  const plan = await listPlan(scope, request, GROUP_RESOURCE, GROUP_ATTRIBUTE_MAP, DEFAULT_GROUP_ORDER, cursors);
  const { total, groups, otherSide, members } = await readConfirmed(
    scope,
    (db) => listGroups(db, scope.orgId, plan.query, withMembers),
    (page) => page.total === 0,
  );
  const page = await plan.page(groups, otherSide);
  return { total, groups: page.rows, members, nextCursor: page.nextCursor, previousCursor: page.previousCursor };
}

/**
 * Splits a page of groups, in page order, into runs whose members are read together: consecutive
 * groups with at most MEMBER_READ_CHUNK members between them share one query (no query per group),
 * and a group larger than that is a run of its own, read and streamed in keyset chunks. Memory stays
 * bounded by one chunk whatever the page holds.
 */
export function memberRuns(groups: StoredGroup[]): { groups: StoredGroup[]; streamed: boolean }[] {
  const runs: { groups: StoredGroup[]; streamed: boolean }[] = [];
  let current: StoredGroup[] = [];
  let members = 0;
  const flush = () => {
    if (current.length) runs.push({ groups: current, streamed: false });
    current = [];
    members = 0;
  };
  for (const g of groups) {
    if (g.memberCount > MEMBER_READ_CHUNK) {
      flush();
      runs.push({ groups: [g], streamed: true });
      continue;
    }
    if (members + g.memberCount > MEMBER_READ_CHUNK) flush();
    current.push(g);
    members += g.memberCount;
  }
  flush();
  return runs;
}

/** The members of a run of groups in one query; groups known to be empty need no read at all. */
export function membersOfGroupRun(scope: OrgScope, groups: StoredGroup[]): Promise<Map<string, MemberRow[]>> {
  return membersOfGroups(scope.reads, groups.filter((g) => g.memberCount > 0).map((g) => g.id));
}

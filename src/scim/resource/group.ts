/**
 * The Group resource contract: what POST, PUT and PATCH accept, what is stored, what is returned.
 *
 * Bodies and PATCH values go through the same normaliser as Users (names in any case, `null`/`""` as
 * absent, `$ref: null`, a lone member object for a list, read-only `id`/`meta` ignored, unknown schema
 * URNs such as Microsoft's ignored). Members are never applied in memory: a PATCH becomes a list of
 * member set operations that the organization's writer runs as SQL set operations, so nothing here
 * ever needs the current member list.
 */
import type { Filter } from "../filter/ast";
import { jsonType, ScimError } from "../errors";
import { applyPatch } from "../patch/apply";
import { describePath, expandValue, normalisePatch, type PatchOperation } from "../patch/normalise";
import { GROUP_RESOURCE } from "../schemas";
import { GROUP_TEXT_MAX_LENGTH } from "../limits";
import { fold } from "../text";
import { isObject, type Json } from "../values";
import { canonicalResource, resourceLocation, resourceMeta, type StoredResource } from "./canonical";

/** A change to a group's member set, by user ids; the writer plans it against the ids it names only. */
export type MemberOp =
  | { kind: "add"; ids: string[] }
  | { kind: "remove"; ids: string[] }
  | { kind: "removeAll" }
  | { kind: "replace"; ids: string[] };

/** A whole group, as POST creates it and PUT replaces it (`members` is the complete member set). */
export interface GroupWrite {
  displayName: string;
  externalId: string | null;
  members: string[];
}

/** What a PATCH changes: attributes only when named, and the member operations in request order. */
export interface GroupChange {
  displayName?: string;
  externalId?: string | null;
  memberOps: MemberOp[];
}

function checkLength(name: string, value: string): string {
  if (value.length > GROUP_TEXT_MAX_LENGTH) {
    throw ScimError.invalidValue(`'${name}' must be at most ${GROUP_TEXT_MAX_LENGTH} characters long`);
  }
  return value;
}

function requireDisplayName(value: unknown): string {
  if (typeof value !== "string" || !value.trim()) {
    throw ScimError.invalidValue("'displayName' is required and must be a non-empty string");
  }
  return checkLength("displayName", value);
}

function externalIdOf(value: unknown): string | null {
  return typeof value === "string" ? checkLength("externalId", value) : null;
}

/** A member `$ref` that points at a Group resource names a nested group. */
const GROUP_REF = /\/Groups\/[^/]+\/?$/i;

/**
 * The user ids of coerced member values. Nested groups are not supported: a member of type "Group"
 * (or whose `$ref` points at a Group) → 400 invalidValue, rather than being stored as if it were a user.
 */
function memberIds(values: unknown): string[] {
  const list = Array.isArray(values) ? values : values === undefined ? [] : [values];
  const ids: string[] = [];
  for (const member of list) {
    if (!isObject(member)) continue;
    const type = typeof member.type === "string" ? fold(member.type) : undefined;
    if (type === "group" || (typeof member.$ref === "string" && GROUP_REF.test(member.$ref))) {
      throw ScimError.invalidValue(
        `Nested groups are not supported: member ${JSON.stringify(member.value)} is a Group`,
        "Nested groups are not supported: a member is a Group",
      );
    }
    if (type !== undefined && type !== "user") {
      throw ScimError.invalidValue(
        `'members.type' must be "User", not ${JSON.stringify(member.type)}`,
        `'members.type' must be "User", not another ${jsonType(member.type).replace(/^an? /, "")}`,
      );
    }
    if (typeof member.value === "string") ids.push(member.value);
  }
  return ids;
}

/** The whole group a POST or PUT body describes. Throws ScimError 400. */
export function groupFromBody(body: Json): GroupWrite {
  const resource = applyPatch({}, expandValue("add", body, GROUP_RESOURCE), GROUP_RESOURCE);
  return {
    displayName: requireDisplayName(resource.displayName),
    externalId: externalIdOf(resource.externalId),
    members: memberIds(resource.members),
  };
}

/** The stored JSON of a group: its canonical resource without members (they live in their own rows). */
export function groupData(displayName: string, externalId: string | null): string {
  return JSON.stringify(canonicalResource({ displayName, externalId: externalId ?? undefined }, GROUP_RESOURCE));
}

const selectByValue = (path: string) =>
  ScimError.invalidPath(`'${path}': members can only be selected by id, as members[value eq "<id>"]`);

/** The ids a members value filter names: `value eq "id"` terms, joined by `or`. */
function idsOfFilter(filter: Filter, path: string): string[] {
  if (filter.type === "or") return filter.filters.flatMap((f) => idsOfFilter(f, path));
  if (filter.type === "compare" && filter.op === "eq" && filter.path.name.toLowerCase() === "value") {
    if (typeof filter.value === "string" || typeof filter.value === "number") return [String(filter.value)];
  }
  throw selectByValue(path);
}

/** One normalised `members` operation → member set operations. */
function memberOpsOf(operation: PatchOperation): MemberOp[] {
  const { op, path, value } = operation;
  const described = describePath(path);
  if (!path.filter) {
    if (path.sub) throw selectByValue(described);
    if (op === "add") return [{ kind: "add", ids: memberIds(value) }];
    if (op === "replace") return [{ kind: "replace", ids: memberIds(value) }];
    if (value === undefined) return [{ kind: "removeAll" }];
    // NOT RFC 7644 — do not "fix": `remove` with path "members" and a value list removes only the
    // listed members (the RFC would remove them all). Entra ID and JumpCloud remove members this way.
    return [{ kind: "remove", ids: memberIds(value) }];
  }
  const ids = idsOfFilter(path.filter, described);
  if (op === "remove") {
    // Removing `$ref` or `type` from a member leaves it a member; removing its `value` removes it.
    return !path.sub || path.sub.name === "value" ? [{ kind: "remove", ids }] : [];
  }
  // add/replace through `members[value eq "x"]`: the member the filter names becomes the one the
  // value describes, created when absent (as for Users: a documented deviation from noTarget).
  if (ids.length !== 1) {
    throw ScimError.invalidPath(`'${described}': add and replace must name exactly one member, as members[value eq "<id>"]`);
  }
  const [named] = ids;
  let next = named;
  if (path.sub?.name === "value") next = String(value);
  else if (path.sub?.name === "type") memberIds([{ type: value }]);
  else if (!path.sub) next = memberIds([value])[0] ?? named;
  return next === named ? [{ kind: "add", ids: [named] }] : [{ kind: "remove", ids: [named] }, { kind: "add", ids: [next] }];
}

/**
 * A PatchOp body → the group change. Operations keep their order (the writer applies them in order,
 * all or nothing); displayName and externalId take the last value given. Throws ScimError 400 / 413.
 */
export function groupChangeFromPatch(body: Json): GroupChange {
  const change: GroupChange = { memberOps: [] };
  for (const operation of normalisePatch(body, GROUP_RESOURCE)) {
    const name = operation.path.attribute.attr.name;
    if (name === "members") {
      change.memberOps.push(...memberOpsOf(operation));
    } else if (name === "displayName") {
      change.displayName = requireDisplayName(operation.op === "remove" ? undefined : operation.value);
    } else if (name === "externalId") {
      change.externalId = operation.op === "remove" ? null : externalIdOf(operation.value);
    }
  }
  return change;
}

/** A stored group as the queries return it (the JSON holds displayName and externalId). */
export interface StoredGroup extends StoredResource {
  memberCount: number;
}

/** A member user, as the membership reads return it. */
export interface GroupMember {
  userId: string;
  userName: string;
  displayName: string | null;
}

export function groupLocation(baseUrl: string, id: string): string {
  return resourceLocation(baseUrl, "Groups", id);
}

export function renderMember(member: GroupMember, baseUrl: string): Json {
  return {
    value: member.userId,
    display: member.displayName ?? member.userName,
    $ref: resourceLocation(baseUrl, "Users", member.userId),
    type: "User",
  };
}

/**
 * The SCIM representation of a stored group. `members` is always present (`[]` for an empty group:
 * Okta documents it that way and diffing clients read it) and comes last, so that a large member
 * list can be streamed after the rest of the resource.
 */
export function renderGroup(group: StoredGroup, baseUrl: string, etag: string, members: GroupMember[] = []): Json {
  const location = groupLocation(baseUrl, group.id);
  return {
    schemas: [GROUP_RESOURCE.core.id],
    id: group.id,
    ...(JSON.parse(group.data) as Json),
    meta: resourceMeta(GROUP_RESOURCE.name, group, location, etag),
    members: members.map((m) => renderMember(m, baseUrl)),
  };
}

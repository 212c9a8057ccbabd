/**
 * The User resource contract: what POST, PUT and PATCH accept, what is stored, what is returned.
 *
 * Bodies go through the same normaliser as PATCH values (a POST/PUT body is an `add` of all its
 * attributes onto an empty resource), so every tolerance — names in any case, string booleans,
 * null/"" as absent, URN-qualified and dotted keys, ignored read-only and unknown attributes, the
 * discarded password — holds identically for all three.
 */
import { ScimError } from "../errors";
import { MAX_STORED_RESOURCE_BYTES } from "../limits";
import { applyPatch } from "../patch/apply";
import { expandValue, normalisePatch } from "../patch/normalise";
import { USER_RESOURCE } from "../schemas";
import { fold } from "../text";
import { isObject, type Json } from "../values";
import { canonicalResource, foldedResource, resourceLocation, resourceMeta, type StoredResource } from "./canonical";

/**
 * Absent `active` means active: the column must hold a boolean, and a client that never mentions
 * `active` (JumpCloud without the mapping, a PUT that omits it) means an active user.
 */
function finish(resource: Json): Json {
  const userName = resource.userName;
  if (typeof userName !== "string" || !userName.trim()) {
    throw ScimError.invalidValue("'userName' is required and must be a non-empty string");
  }
  return resource.active === undefined ? canonicalResource({ ...resource, active: true }, USER_RESOURCE) : resource;
}

/** The stored resource for a POST or PUT body. Throws ScimError 400 invalidValue. */
export function userFromBody(body: Json): Json {
  return finish(applyPatch({}, expandValue("add", body, USER_RESOURCE), USER_RESOURCE));
}

/** The stored resource after applying a PatchOp body to `current`. Throws ScimError 400 / 413. */
export function patchUser(current: Json, body: Json): Json {
  return finish(applyPatch(current, normalisePatch(body, USER_RESOURCE), USER_RESOURCE));
}

export interface UserEmailRow {
  valueNorm: string;
  typeNorm: string | null;
  primary: boolean;
}

/** What the users table and its email rows hold for one stored resource. */
export interface UserRecord {
  userName: string;
  userNameNorm: string;
  externalId: string | null;
  displayName: string | null;
  displayNameNorm: string | null;
  givenNameNorm: string | null;
  familyNameNorm: string | null;
  active: boolean;
  /** The canonical stored resource as JSON; equal strings mean an unchanged resource. */
  data: string;
  dataNorm: string;
  emails: UserEmailRow[];
}

const str = (value: unknown): string | null => (typeof value === "string" ? value : null);
const folded = (value: unknown): string | null => (typeof value === "string" ? fold(value) : null);

export function userRecord(resource: Json): UserRecord {
  const name = isObject(resource.name) ? resource.name : {};
  const emails = Array.isArray(resource.emails) ? resource.emails.filter(isObject) : [];
  return {
    userName: resource.userName as string,
    userNameNorm: fold(resource.userName as string),
    externalId: str(resource.externalId),
    displayName: str(resource.displayName),
    displayNameNorm: folded(resource.displayName),
    givenNameNorm: folded(name.givenName),
    familyNameNorm: folded(name.familyName),
    active: resource.active !== false,
    data: JSON.stringify(resource),
    dataNorm: JSON.stringify(foldedResource(resource, USER_RESOURCE)),
    emails: emails.map((e) => ({ valueNorm: fold(String(e.value)), typeNorm: folded(e.type), primary: e.primary === true })),
  };
}

/** A stored user as the queries return it. */
export type StoredUser = StoredResource;

/**
 * The record of a resource, if it fits a D1 row (MAX_STORED_RESOURCE_BYTES); 413 otherwise. Every
 * write of a user goes through it, directly or through the OrgWriter.
 */
export function storableUserRecord(resource: Json): UserRecord {
  const record = userRecord(resource);
  const bytes = new TextEncoder().encode(record.data).length;
  if (bytes > MAX_STORED_RESOURCE_BYTES) {
    throw new ScimError(413, `The user's attributes take ${bytes} bytes; at most ${MAX_STORED_RESOURCE_BYTES} can be stored`);
  }
  return record;
}

/** A user write as data, so that it can cross RPC to the OrgWriter: a whole replacement or a PATCH body. */
export type UserChange = { replace: Json } | { patch: Json };

/** The resource a change makes of `current`. */
export function applyUserChange(current: Json, change: UserChange): Json {
  return "replace" in change ? change.replace : patchUser(current, change.patch);
}

export function userLocation(baseUrl: string, id: string): string {
  return resourceLocation(baseUrl, "Users", id);
}

/** One group a user belongs to, as the membership query returns it. */
export interface UserGroup {
  groupId: string;
  displayName: string;
}

/**
 * The SCIM representation of a stored user. `groups` is read-only and derived from the Groups
 * resource's membership rows: the caller passes the user's memberships in (omitted when empty, like
 * every other empty multi-valued attribute). Only direct memberships exist: groups do not nest.
 */
export function renderUser(user: StoredUser, baseUrl: string, etag: string, groups: UserGroup[] = []): Json {
  const data = JSON.parse(user.data) as Json;
  const schemas = [USER_RESOURCE.core.id, ...USER_RESOURCE.extensions.filter((e) => isObject(data[e.id])).map((e) => e.id)];
  const rendered: Json = { schemas, id: user.id, ...data };
  if (groups.length) {
    rendered.groups = groups.map((g) => ({
      value: g.groupId,
      display: g.displayName,
      $ref: resourceLocation(baseUrl, "Groups", g.groupId),
      type: "direct",
    }));
  }
  rendered.meta = resourceMeta(USER_RESOURCE.name, user, userLocation(baseUrl, user.id), etag);
  return rendered;
}

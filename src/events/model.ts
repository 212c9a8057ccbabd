/**
 * Directory events (issue 14): what each kind of change emits, as plain values. The writers of the
 * changes (src/services/users.ts, the OrgWriter, Bulk, setup) turn these into outbox rows in the
 * change's own batch (src/db/events.ts); membership events for large sets are generated in SQL there.
 *
 * An event is `{ id, type, orgId, occurredAt, sequence, data }`. `data` is the resource as SCIM renders
 * it when the change committed (users without `groups`, groups without `members`), under `resource`,
 * and for updates `changedAttributes`: the names of the top-level attributes (and of the extension
 * attributes, URN-qualified) whose value changed. A user whose `active` flips emits
 * `user.deactivated` / `user.reactivated` instead of `user.updated` (with every changed attribute
 * listed), so that one write is one event.
 */
import { newEventId, type OutboxEvent } from "../db/events";
import { etagOf } from "../scim/etag";
import { renderGroup, type StoredGroup } from "../scim/resource/group";
import { renderUser, type StoredUser } from "../scim/resource/user";
import { USER_RESOURCE } from "../scim/schemas";
import { isObject, type Json } from "../scim/values";

export const EVENT_TYPES = [
  "user.created",
  "user.updated",
  "user.deactivated",
  "user.reactivated",
  "user.deleted",
  "user.setup_completed",
  "user.setup_reset",
  "group.created",
  "group.updated",
  "group.deleted",
  "group.user_added",
  "group.user_removed",
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** An event as the pull API and the webhooks deliver it. */
export interface DirectoryEvent {
  id: string;
  type: string;
  orgId: string;
  /** RFC 3339, UTC. */
  occurredAt: string;
  sequence: number;
  data: Json;
}

function event(type: EventType, data: Json): OutboxEvent {
  return { id: newEventId(), type, data: JSON.stringify(data) };
}

/** The user as SCIM renders it, without `groups` (membership has its own events). */
export function userResource(user: StoredUser, baseUrl: string): Json {
  return renderUser(user, baseUrl, etagOf(user.version));
}

/** The group as SCIM renders it, without `members`. */
export function groupResource(group: StoredGroup, baseUrl: string): Json {
  const { members: _members, ...rest } = renderGroup(group, baseUrl, etagOf(group.version));
  return rest;
}

/**
 * The attributes whose value differs between two stored resources: top-level names, and for an
 * extension object its attributes as `<urn>:<name>` (e.g. the enterprise `manager`).
 */
export function changedAttributes(before: Json, after: Json): string[] {
  const changed: string[] = [];
  const extensions = new Set(USER_RESOURCE.extensions.map((e) => e.id));
  for (const name of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const a = before[name];
    const b = after[name];
    if (JSON.stringify(a) === JSON.stringify(b)) continue;
    if (extensions.has(name) && (isObject(a) || isObject(b))) {
      const ea = (isObject(a) ? a : {}) as Json;
      const eb = (isObject(b) ? b : {}) as Json;
      for (const sub of new Set([...Object.keys(ea), ...Object.keys(eb)])) {
        if (JSON.stringify(ea[sub]) !== JSON.stringify(eb[sub])) changed.push(`${name}:${sub}`);
      }
    } else changed.push(name);
  }
  return changed.sort();
}

export function userCreated(user: StoredUser, baseUrl: string): OutboxEvent {
  return event("user.created", { resource: userResource(user, baseUrl) });
}

/** The event of a user update that wrote something (callers skip no-op writes before). */
export function userUpdated(before: StoredUser, after: StoredUser, baseUrl: string): OutboxEvent {
  const old = JSON.parse(before.data) as Json;
  const now = JSON.parse(after.data) as Json;
  const wasActive = old.active !== false;
  const isActive = now.active !== false;
  const type = wasActive === isActive ? "user.updated" : isActive ? "user.reactivated" : "user.deactivated";
  return event(type, { resource: userResource(after, baseUrl), changedAttributes: changedAttributes(old, now) });
}

export function userDeleted(user: StoredUser, baseUrl: string): OutboxEvent {
  return event("user.deleted", { resource: userResource(user, baseUrl) });
}

/** A person finished first-login setup, or the operator reset it. */
export function userSetupEvent(type: "user.setup_completed" | "user.setup_reset", user: StoredUser, baseUrl: string): OutboxEvent {
  return event(type, { resource: userResource(user, baseUrl) });
}

export function groupCreated(group: StoredGroup, baseUrl: string): OutboxEvent {
  return event("group.created", { resource: groupResource(group, baseUrl) });
}

export function groupUpdated(before: StoredGroup, after: StoredGroup, baseUrl: string): OutboxEvent {
  return event("group.updated", {
    resource: groupResource(after, baseUrl),
    changedAttributes: changedAttributes(JSON.parse(before.data) as Json, JSON.parse(after.data) as Json),
  });
}

export function groupDeleted(group: StoredGroup, baseUrl: string): OutboxEvent {
  return event("group.deleted", { resource: groupResource(group, baseUrl) });
}

/** A stored row as the API's event (epoch ms → RFC 3339). */
export function toDirectoryEvent(row: { id: string; type: string; orgId: string; occurredAt: number; sequence: number; data: string }): DirectoryEvent {
  return {
    id: row.id,
    type: row.type,
    orgId: row.orgId,
    occurredAt: new Date(row.occurredAt).toISOString(),
    sequence: row.sequence,
    data: JSON.parse(row.data) as Json,
  };
}

/**
 * `format: "set"` endpoints: one Security Event Token (RFC 8417) per event, with the SCIM event URIs
 * of RFC 9967, signed HS256 with the endpoint's secret (its `whsec_` bytes), `typ: secevent+jwt`.
 *
 * Claims: `iss` the service's public origin, `aud` the endpoint URL, `iat` the attempt's time,
 * `jti` and `txn` the event id (the idempotency key: every attempt of one event carries the same),
 * `toe` when the change committed, `sub_id` the SCIM subject identifier (`{"format": "scim", "uri":
 * "/Users/<id>"}`, plus `externalId` when the resource has one), and `events` keyed by event URI.
 *
 * Our event types map to RFC 9967 as docs/events.md tabulates (EVENT_URIS below). The "full" events
 * carry the resource as SCIM renders it in `data` and its ETag in `version`; an update is a
 * `prov:put:full` (we hold the resource after the change, not the request that made it);
 * (de)activation adds `prov:activate` / `prov:deactivate` to that same SET (RFC 9967 allows several
 * events of one change of one subject in one SET); membership changes are a `prov:patch:full` of
 * the Group with the PatchOp that has the same effect. Setup events have no RFC 9967 URI and use
 * this service's own (`urn:edge-scim:event:…`), which a receiver that does not know them ignores.
 */
import { SignJWT } from "jose";
import type { Json } from "../scim/values";
import type { DirectoryEvent } from "./model";
import { secretKeyBytes } from "./signing";

export const SET_CONTENT_TYPE = "application/secevent+jwt";

const PROV = "urn:ietf:params:scim:event:prov";
export const SCIM_EVENT_URIS = {
  createFull: `${PROV}:create:full`,
  putFull: `${PROV}:put:full`,
  patchFull: `${PROV}:patch:full`,
  delete: `${PROV}:delete`,
  activate: `${PROV}:activate`,
  deactivate: `${PROV}:deactivate`,
} as const;

/** The event URIs each of our types is sent as (docs/events.md has this table). */
export const EVENT_URIS: Record<string, string[]> = {
  "user.created": [SCIM_EVENT_URIS.createFull],
  "user.updated": [SCIM_EVENT_URIS.putFull],
  "user.deactivated": [SCIM_EVENT_URIS.putFull, SCIM_EVENT_URIS.deactivate],
  "user.reactivated": [SCIM_EVENT_URIS.putFull, SCIM_EVENT_URIS.activate],
  "user.deleted": [SCIM_EVENT_URIS.delete],
  "user.setup_completed": ["urn:edge-scim:event:user:setup_completed"],
  "user.setup_reset": ["urn:edge-scim:event:user:setup_reset"],
  "group.created": [SCIM_EVENT_URIS.createFull],
  "group.updated": [SCIM_EVENT_URIS.putFull],
  "group.deleted": [SCIM_EVENT_URIS.delete],
  "group.user_added": [SCIM_EVENT_URIS.patchFull],
  "group.user_removed": [SCIM_EVENT_URIS.patchFull],
  "webhook.test": ["urn:edge-scim:event:webhook:test"],
};

const PATCH_OP = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

function subject(event: DirectoryEvent): { uri: string; externalId?: string; version?: string; resource?: Json } {
  const data = event.data;
  if (event.type.startsWith("group.user_")) {
    const group = data.group as Json;
    return { uri: `/Groups/${String(group.id)}` };
  }
  const resource = data.resource as Json | undefined;
  if (!resource) return { uri: `/` };
  const kind = event.type.startsWith("group.") ? "Groups" : "Users";
  const meta = resource.meta as Json | undefined;
  return {
    uri: `/${kind}/${String(resource.id)}`,
    ...(typeof resource.externalId === "string" ? { externalId: resource.externalId } : {}),
    ...(typeof meta?.version === "string" ? { version: meta.version } : {}),
    resource,
  };
}

/** The payload of each event URI of one of our events. */
function payloads(event: DirectoryEvent, uris: string[], sub: ReturnType<typeof subject>): Record<string, Json> {
  const out: Record<string, Json> = {};
  const version = sub.version ? { version: sub.version } : {};
  for (const uri of uris) {
    if (uri === SCIM_EVENT_URIS.createFull || uri === SCIM_EVENT_URIS.putFull) {
      out[uri] = { ...version, data: sub.resource ?? {} };
    } else if (uri === SCIM_EVENT_URIS.patchFull) {
      const user = event.data.user as Json;
      const op =
        event.type === "group.user_added"
          ? { op: "add", path: "members", value: [{ value: user.id, display: user.userName }] }
          : { op: "remove", path: `members[value eq "${String(user.id)}"]` };
      out[uri] = { data: { schemas: [PATCH_OP], Operations: [op] } };
    } else if (uri.startsWith("urn:edge-scim:")) {
      out[uri] = { data: event.data };
    } else {
      out[uri] = {};
    }
  }
  return out;
}

/** The SET's claims for one event (exported for the docs' example and the tests). */
export function setClaims(event: DirectoryEvent, issuer: string, audience: string): Json {
  const uris = EVENT_URIS[event.type] ?? [`urn:edge-scim:event:${event.type}`];
  const sub = subject(event);
  return {
    iss: issuer,
    aud: audience,
    jti: event.id,
    txn: event.id,
    toe: Math.floor(Date.parse(event.occurredAt) / 1000),
    sub_id: { format: "scim", uri: sub.uri, ...(sub.externalId ? { externalId: sub.externalId } : {}) },
    events: payloads(event, uris, sub),
  };
}

/** The compact, signed SET for one attempt. */
export async function signedSet(event: DirectoryEvent, secret: string, issuer: string, audience: string, nowSeconds: number): Promise<string> {
  return new SignJWT(setClaims(event, issuer, audience) as Record<string, unknown>)
    .setProtectedHeader({ alg: "HS256", typ: "secevent+jwt" })
    .setIssuedAt(nowSeconds)
    .sign(secretKeyBytes(secret));
}

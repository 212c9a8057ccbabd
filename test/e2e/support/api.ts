/** The service's HTTP APIs as the browser tests call them from Node: the admin API and SCIM. */
import { inject } from "vitest";

export interface JsonResponse {
  status: number;
  body: any;
}

/** A request with a JSON body (when given); the answer's body parsed when there is one. */
export async function call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<JsonResponse> {
  const res = await fetch(`${inject("baseUrl")}${path}`, {
    method,
    headers: { ...(body === undefined ? {} : { "Content-Type": "application/json" }), ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** The admin API (`path` under /api/v1) with the operator token. */
export function admin(method: string, path: string, body?: unknown) {
  return call(method, `/api/v1${path}`, body, { Authorization: `Bearer ${inject("adminToken")}` });
}

export interface ScimOrg {
  orgId: string;
  token: string;
  /** A SCIM request with the org's token; `path` is under /scim/v2. */
  scim(method: string, path: string, body?: unknown): Promise<JsonResponse>;
}

/** Creates an organization with SCIM on and a token, as an admin does before connecting an IdP. */
export async function newScimOrg(name: string): Promise<ScimOrg> {
  const org = (await admin("POST", "/orgs", { name })).body;
  await admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true });
  const { token } = (await admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "e2e" })).body;
  return {
    orgId: org.id,
    token,
    scim: (method, path, body) =>
      call(method, `/scim/v2${path}`, body, {
        Authorization: `Bearer ${token}`,
        ...(body === undefined ? {} : { "Content-Type": "application/scim+json" }),
      }),
  };
}

export const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

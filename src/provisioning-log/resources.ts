/**
 * Which user or group a logged request addressed, read from its path (`/scim/v2/Users/{id}`,
 * `/scim/v2/Groups/{id}`), so that the log can show the resource's name instead of its id.
 */
export interface LoggedResource {
  type: "User" | "Group";
  id: string;
}

const RESOURCE_PATH = /^\/scim\/v2\/(Users|Groups)\/([^/]+)$/;

export function resourceOfPath(path: string): LoggedResource | null {
  const match = RESOURCE_PATH.exec(path);
  if (!match || match[2] === ".search") return null;
  let id: string;
  try {
    id = decodeURIComponent(match[2]);
  } catch {
    return null;
  }
  return { type: match[1] === "Users" ? "User" : "Group", id };
}

/** The distinct user and group ids a page of entries addresses. */
export function resourceIdsOf(paths: string[]): { users: string[]; groups: string[] } {
  const users = new Set<string>();
  const groups = new Set<string>();
  for (const path of paths) {
    const resource = resourceOfPath(path);
    if (resource) (resource.type === "User" ? users : groups).add(resource.id);
  }
  return { users: [...users], groups: [...groups] };
}

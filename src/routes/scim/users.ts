/** /Users: a thin adapter between HTTP and the user service. Every query is scoped to the token's org. */
import { Hono, type Context } from "hono";
import { etagOf, ifNoneMatchHits } from "../../scim/etag";
import { parseListRequest, type ListRequest } from "../../scim/list-request";
import { USERS_BODY_LIMIT_BYTES } from "../../scim/limits";
import { listResponse } from "../../scim/messages";
import { keepsAttribute, parseProjection, project, type Projection } from "../../scim/projection";
import { renderUser, userLocation, type StoredUser, type UserGroup } from "../../scim/resource/user";
import { USER_RESOURCE } from "../../scim/schemas";
import {
  createUser,
  groupsOf,
  patchUserById,
  readUser,
  removeUser,
  replaceUser,
  searchUsers,
} from "../../services/users";
import { onUserProvisioned } from "../../setup/hooks";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../origin";
import { setupHookRuntime } from "../setup-hooks";
import { readJsonObject } from "./body";
import { bodyParams, orgScope, queryParams } from "./request";
import { scimBodyLimit } from "../middleware/scim-media";
import { methodNotAllowed, scimJson } from "./responses";

type Ctx = Context<AppEnv>;

function projection(c: Ctx): Projection {
  const param = queryParams(c);
  return parseProjection(param("attributes"), param("excludedAttributes"), USER_RESOURCE);
}

/** The read-only `groups` of some users: one statement for all of them, none when not returned. */
async function groupsFor(c: Ctx, users: StoredUser[], p: Projection) {
  const ids = keepsAttribute("groups", p, USER_RESOURCE) ? users.map((u) => u.id) : [];
  return groupsOf(orgScope(c), ids);
}

/** Whether the response returns the user's read-only `groups` (then a write reads them in its own batch). */
function wantsGroups(c: Ctx): boolean {
  return keepsAttribute("groups", projection(c), USER_RESOURCE);
}

/**
 * `known`: the user's groups when they were read with it (GET reads both in one round trip; PUT and
 * PATCH read them in their write batch).
 */
async function userResponse(c: Ctx, user: StoredUser, status: 200 | 201 = 200, known?: UserGroup[]) {
  const p = projection(c);
  const etag = etagOf(user.version);
  // A user just created belongs to no group yet.
  const groups = status === 201 ? [] : (known ?? (await groupsFor(c, [user], p)).get(user.id));
  const body = project(renderUser(user, scimBaseUrl(c), etag, groups), p, USER_RESOURCE);
  const headers: Record<string, string> = { ETag: etag };
  if (status === 201) headers.Location = userLocation(scimBaseUrl(c), user.id);
  return scimJson(c, body, status, headers);
}

async function listUsers(c: Ctx, request: ListRequest) {
  const withGroups = keepsAttribute("groups", request.projection, USER_RESOURCE);
  const { total, users, groups } = await searchUsers(orgScope(c), request, withGroups);
  const baseUrl = scimBaseUrl(c);
  const resources = users.map((u) =>
    project(renderUser(u, baseUrl, etagOf(u.version), groups.get(u.id)), request.projection, USER_RESOURCE),
  );
  return scimJson(c, listResponse(resources, total, request.page.startIndex));
}

const limit = scimBodyLimit(USERS_BODY_LIMIT_BYTES);

export const userRoutes = new Hono<AppEnv>()
  .use("/Users/*", limit)
  .get("/Users", (c) => listUsers(c, parseListRequest(queryParams(c), USER_RESOURCE)))
  .post("/Users", async (c) => {
    const user = await createUser(orgScope(c), await readJsonObject(c));
    // The new person starts pending setup; with a setup webhook, their first link goes out after the response.
    onUserProvisioned(setupHookRuntime(c), { id: user.id, orgId: c.var.orgId });
    return userResponse(c, user, 201);
  })
  .all("/Users", methodNotAllowed(["GET", "POST"]))
  .post("/Users/.search", async (c) => listUsers(c, parseListRequest(bodyParams(await readJsonObject(c)), USER_RESOURCE)))
  .all("/Users/.search", methodNotAllowed(["POST"]))
  .get("/Users/:id", async (c) => {
    const withGroups = keepsAttribute("groups", projection(c), USER_RESOURCE);
    const { user, groups } = await readUser(orgScope(c), c.req.param("id"), withGroups);
    if (ifNoneMatchHits(c.req.header("If-None-Match"), user.version)) {
      return c.body(null, 304, { ETag: etagOf(user.version) });
    }
    return userResponse(c, user, 200, groups);
  })
  .put("/Users/:id", async (c) => {
    const body = await readJsonObject(c);
    const { user, groups } = await replaceUser(orgScope(c), c.req.param("id"), body, c.req.header("If-Match"), wantsGroups(c));
    return userResponse(c, user, 200, groups);
  })
  .patch("/Users/:id", async (c) => {
    const body = await readJsonObject(c);
    const { user, groups } = await patchUserById(orgScope(c), c.req.param("id"), body, c.req.header("If-Match"), wantsGroups(c));
    return userResponse(c, user, 200, groups);
  })
  .delete("/Users/:id", async (c) => {
    await removeUser(orgScope(c), c.req.param("id"), c.req.header("If-Match"));
    return c.body(null, 204);
  })
  .all("/Users/:id", methodNotAllowed(["GET", "PUT", "PATCH", "DELETE"]));

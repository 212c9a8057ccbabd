/** /Users: a thin adapter between HTTP and the user service. Every query is scoped to the token's org. */
import { Hono, type Context } from "hono";
import { etagOf, ifNoneMatchHits } from "../../scim/etag";
import { parseListRequest, type ListRequest, type ParamSource } from "../../scim/list-request";
import { USERS_BODY_LIMIT_BYTES } from "../../scim/limits";
import { listResponse } from "../../scim/messages";
import { parseProjection, project, type Projection } from "../../scim/projection";
import { renderUser, userLocation, type StoredUser } from "../../scim/resource/user";
import { USER_RESOURCE } from "../../scim/schemas";
import { getIgnoringCase } from "../../scim/values";
import {
  createUser,
  getUser,
  patchUserById,
  removeUser,
  replaceUser,
  searchUsers,
  type UserScope,
} from "../../services/users";
import { onUserProvisioned } from "../../setup/hooks";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../origin";
import { readJsonObject } from "./body";
import { methodNotAllowed, scimBodyLimit, scimJson } from "./responses";

type Ctx = Context<AppEnv>;

function scope(c: Ctx): UserScope {
  return { db: c.var.db, orgId: c.var.orgId, now: c.var.clock };
}

/** Query parameters by name, case-insensitively (clients disagree on `startIndex` vs `startindex`). */
function queryParams(c: Ctx): ParamSource {
  const query = c.req.query();
  return (name) => getIgnoringCase(query, name);
}

function projection(c: Ctx): Projection {
  const param = queryParams(c);
  return parseProjection(param("attributes"), param("excludedAttributes"), USER_RESOURCE);
}

function userResponse(c: Ctx, user: StoredUser, status: 200 | 201 = 200) {
  const etag = etagOf(user.version);
  const body = project(renderUser(user, scimBaseUrl(c), etag), projection(c), USER_RESOURCE);
  const headers: Record<string, string> = { ETag: etag };
  if (status === 201) headers.Location = userLocation(scimBaseUrl(c), user.id);
  return scimJson(c, body, status, headers);
}

async function listUsers(c: Ctx, request: ListRequest) {
  const { total, users } = await searchUsers(scope(c), request);
  const baseUrl = scimBaseUrl(c);
  const resources = users.map((u) => project(renderUser(u, baseUrl, etagOf(u.version)), request.projection, USER_RESOURCE));
  return scimJson(c, listResponse(resources, total, request.page.startIndex));
}

const limit = scimBodyLimit(USERS_BODY_LIMIT_BYTES);

export const userRoutes = new Hono<AppEnv>()
  .use("/Users/*", limit)
  .get("/Users", (c) => listUsers(c, parseListRequest(queryParams(c), USER_RESOURCE)))
  .post("/Users", async (c) => {
    const user = await createUser(scope(c), await readJsonObject(c));
    // The new person starts pending setup; with a setup webhook, their first link goes out after the response.
    onUserProvisioned(c, { id: user.id, orgId: c.var.orgId });
    return userResponse(c, user, 201);
  })
  .all("/Users", methodNotAllowed(["GET", "POST"]))
  .post("/Users/.search", async (c) => {
    const body = await readJsonObject(c);
    return listUsers(c, parseListRequest((name) => getIgnoringCase(body, name), USER_RESOURCE));
  })
  .all("/Users/.search", methodNotAllowed(["POST"]))
  .get("/Users/:id", async (c) => {
    const user = await getUser(scope(c), c.req.param("id"));
    if (ifNoneMatchHits(c.req.header("If-None-Match"), user.version)) {
      return c.body(null, 304, { ETag: etagOf(user.version) });
    }
    return userResponse(c, user);
  })
  .put("/Users/:id", async (c) => {
    const body = await readJsonObject(c);
    return userResponse(c, await replaceUser(scope(c), c.req.param("id"), body, c.req.header("If-Match")));
  })
  .patch("/Users/:id", async (c) => {
    const body = await readJsonObject(c);
    return userResponse(c, await patchUserById(scope(c), c.req.param("id"), body, c.req.header("If-Match")));
  })
  .delete("/Users/:id", async (c) => {
    await removeUser(scope(c), c.req.param("id"), c.req.header("If-Match"));
    return c.body(null, 204);
  })
  .all("/Users/:id", methodNotAllowed(["GET", "PUT", "PATCH", "DELETE"]));

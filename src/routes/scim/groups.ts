/**
 * /Groups: a thin adapter between HTTP and the group service. Writes go through the org's OrgWriter;
 * reads go straight to D1. A single group's members are streamed chunk by chunk, so that a 50,000-member
 * group is rendered with bounded memory.
 */
import { Hono, type Context } from "hono";
import { etagOf, ifNoneMatchHits } from "../../scim/etag";
import { parseListRequest, type ListRequest } from "../../scim/list-request";
import { GROUPS_BODY_LIMIT_BYTES } from "../../scim/limits";
import { listResponse } from "../../scim/messages";
import { keepsAttribute, parseProjection, project, type Projection } from "../../scim/projection";
import { groupLocation, renderGroup, renderMember, type StoredGroup } from "../../scim/resource/group";
import { GROUP_RESOURCE } from "../../scim/schemas";
import type { Json } from "../../scim/values";
import {
  createGroup,
  getGroup,
  memberChunks,
  patchGroup,
  removeGroup,
  replaceGroup,
  searchGroups,
} from "../../services/groups";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../origin";
import { readJsonObject } from "./body";
import { bodyParams, orgScope, queryParams } from "./request";
import { methodNotAllowed, SCIM_CONTENT_TYPE, scimBodyLimit, scimJson } from "./responses";

type Ctx = Context<AppEnv>;

function projection(c: Ctx): Projection {
  const param = queryParams(c);
  return parseProjection(param("attributes"), param("excludedAttributes"), GROUP_RESOURCE);
}

/**
 * One group as the response body. Without members (excluded, or none) it is plain JSON; with members
 * the resource is written first and the members follow, one keyset chunk per pull, so that neither
 * the member list nor its JSON is ever held whole.
 */
function groupResponse(c: Ctx, group: StoredGroup, status: 200 | 201 = 200) {
  const p = projection(c);
  const baseUrl = scimBaseUrl(c);
  const etag = etagOf(group.version);
  const headers: Record<string, string> = { ETag: etag };
  if (status === 201) headers.Location = groupLocation(baseUrl, group.id);
  const resource = project(renderGroup(group, baseUrl, etag), p, GROUP_RESOURCE);
  if (!("members" in resource) || group.memberCount === 0) return scimJson(c, resource, status, headers);

  const { members: _empty, ...head } = resource;
  const chunks = memberChunks(orgScope(c), group.id);
  const encoder = new TextEncoder();
  let separator = "";
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      // `members` is last in a rendered group: the head's closing brace gives way to the list.
      controller.enqueue(encoder.encode(`${JSON.stringify(head).slice(0, -1)},"members":[`));
    },
    async pull(controller) {
      for (;;) {
        const next = await chunks.next();
        if (next.done) {
          controller.enqueue(encoder.encode("]}"));
          controller.close();
          return;
        }
        const rendered = project({ members: next.value.map((m) => renderMember(m, baseUrl)) }, p, GROUP_RESOURCE);
        const members = (rendered.members ?? []) as Json[];
        if (!members.length) continue;
        controller.enqueue(encoder.encode(separator + members.map((m) => JSON.stringify(m)).join(",")));
        separator = ",";
        return;
      }
    },
    async cancel() {
      await chunks.return(undefined);
    },
  });
  return c.body(body, status, { ...headers, "Content-Type": SCIM_CONTENT_TYPE });
}

async function listGroups(c: Ctx, request: ListRequest) {
  const withMembers = keepsAttribute("members", request.projection, GROUP_RESOURCE);
  const { total, groups, members } = await searchGroups(orgScope(c), request, withMembers);
  const baseUrl = scimBaseUrl(c);
  const resources = groups.map((g) =>
    project(renderGroup(g, baseUrl, etagOf(g.version), members.get(g.id)), request.projection, GROUP_RESOURCE),
  );
  return scimJson(c, listResponse(resources, total, request.page.startIndex));
}

/** RFC 7644 §3.5.2: a PATCH answers 204 unless the client asked for attributes of the result. */
function wantsPatchResult(c: Ctx): boolean {
  const param = queryParams(c);
  return param("attributes") !== undefined || param("excludedAttributes") !== undefined;
}

const limit = scimBodyLimit(GROUPS_BODY_LIMIT_BYTES);

export const groupRoutes = new Hono<AppEnv>()
  .use("/Groups/*", limit)
  .get("/Groups", (c) => listGroups(c, parseListRequest(queryParams(c), GROUP_RESOURCE)))
  .post("/Groups", async (c) => groupResponse(c, await createGroup(orgScope(c), await readJsonObject(c)), 201))
  .all("/Groups", methodNotAllowed(["GET", "POST"]))
  .post("/Groups/.search", async (c) => listGroups(c, parseListRequest(bodyParams(await readJsonObject(c)), GROUP_RESOURCE)))
  .all("/Groups/.search", methodNotAllowed(["POST"]))
  .get("/Groups/:id", async (c) => {
    const group = await getGroup(orgScope(c), c.req.param("id"));
    if (ifNoneMatchHits(c.req.header("If-None-Match"), group.version)) {
      return c.body(null, 304, { ETag: etagOf(group.version) });
    }
    return groupResponse(c, group);
  })
  .put("/Groups/:id", async (c) => {
    const body = await readJsonObject(c);
    return groupResponse(c, await replaceGroup(orgScope(c), c.req.param("id"), body, c.req.header("If-Match")));
  })
  .patch("/Groups/:id", async (c) => {
    const body = await readJsonObject(c);
    const group = await patchGroup(orgScope(c), c.req.param("id"), body, c.req.header("If-Match"));
    if (wantsPatchResult(c)) return groupResponse(c, group);
    return c.body(null, 204, { ETag: etagOf(group.version) });
  })
  .delete("/Groups/:id", async (c) => {
    await removeGroup(orgScope(c), c.req.param("id"), c.req.header("If-Match"));
    return c.body(null, 204);
  })
  .all("/Groups/:id", methodNotAllowed(["GET", "PUT", "PATCH", "DELETE"]));

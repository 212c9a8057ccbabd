/**
 * /Groups: a thin adapter between HTTP and the group service. Writes go through the org's OrgWriter;
 * reads go straight to D1. Members are streamed chunk by chunk, in single groups and in list pages, so
 * that a 50,000-member group is rendered with bounded memory.
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
  memberChunks,
  memberRuns,
  membersOfGroupRun,
  patchGroup,
  readGroup,
  removeGroup,
  replaceGroup,
  searchGroups,
  type MemberRow,
} from "../../services/groups";
import type { AppEnv } from "../context";
import { scimBaseUrl } from "../origin";
import { readJsonObject } from "./body";
import { bodyParams, cursorSigner, orgScope, queryParams } from "./request";
import { SCIM_CONTENT_TYPE, scimBodyLimit } from "../middleware/scim-media";
import { methodNotAllowed } from "./responses";

type Ctx = Context<AppEnv>;

function projection(c: Ctx): Projection {
  const param = queryParams(c);
  return parseProjection(param("attributes"), param("excludedAttributes"), GROUP_RESOURCE);
}

/**
 * A rendered group as JSON text. With `members` given (read with the rest of its run) it is one
 * piece; otherwise its members — last in a rendered group — follow its head in keyset chunks, so that
 * neither a 50,000-member list nor its JSON is ever held whole.
 */
async function* groupJson(c: Ctx, group: StoredGroup, p: Projection, members?: MemberRow[], firstChunk?: MemberRow[]): AsyncGenerator<string> {
  const baseUrl = scimBaseUrl(c);
  const etag = etagOf(group.version);
  const resource = project(renderGroup(group, baseUrl, etag, members), p, GROUP_RESOURCE);
  if (members || !("members" in resource) || group.memberCount === 0) {
    yield JSON.stringify(resource);
    return;
  }
  const { members: _empty, ...head } = resource;
  yield `${JSON.stringify(head).slice(0, -1)},"members":[`;
  let separator = "";
  // A first chunk read with the group is rendered first; the rest is read after its last user.
  const after = firstChunk?.length ? firstChunk[firstChunk.length - 1].userId : "";
  async function* chunks() {
    if (firstChunk?.length) yield firstChunk;
    yield* memberChunks(orgScope(c), group.id, after);
  }
  for await (const chunk of chunks()) {
    const rendered = project({ members: chunk.map((m) => renderMember(m, baseUrl)) }, p, GROUP_RESOURCE);
    const list = (rendered.members ?? []) as Json[];
    if (!list.length) continue;
    yield separator + list.map((m) => JSON.stringify(m)).join(",");
    separator = ",";
  }
  yield "]}";
}

/** Bytes gathered before a streamed body hands a chunk on: fewer, larger chunks travel faster. */
const STREAM_CHUNK_CHARS = 64 * 1024;

/** A response body pulled from text pieces as the client reads it, in chunks of about 64 KiB. */
function streamed(c: Ctx, pieces: AsyncGenerator<string>, status: 200 | 201, headers: Record<string, string> = {}) {
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      let buffered = "";
      for (;;) {
        const next = await pieces.next();
        if (next.done) {
          if (buffered) controller.enqueue(encoder.encode(buffered));
          controller.close();
          return;
        }
        buffered += next.value;
        if (buffered.length >= STREAM_CHUNK_CHARS) {
          controller.enqueue(encoder.encode(buffered));
          return;
        }
      }
    },
    async cancel() {
      await pieces.return(undefined);
    },
  });
  return c.body(body, status, { ...headers, "Content-Type": SCIM_CONTENT_TYPE });
}

/**
 * `read`: members read with the group — the whole list when `complete`, else its first chunk (the rest
 * streams); without it, every member streams.
 */
function groupResponse(c: Ctx, group: StoredGroup, status: 200 | 201 = 200, read?: { members?: MemberRow[]; complete?: boolean }) {
  const headers: Record<string, string> = { ETag: etagOf(group.version) };
  if (status === 201) headers.Location = groupLocation(scimBaseUrl(c), group.id);
  const whole = read?.complete ? read.members : undefined;
  const first = read && !read.complete ? read.members : undefined;
  return streamed(c, groupJson(c, group, projection(c), whole, first), status, headers);
}

async function listGroups(c: Ctx, request: ListRequest) {
  const p = request.projection;
  const withMembers = keepsAttribute("members", p, GROUP_RESOURCE);
  const { total, groups, members: pageMembers, nextCursor, previousCursor } = await searchGroups(orgScope(c), request, withMembers, cursorSigner(c));
  const cursors = request.cursor === undefined ? undefined : { nextCursor, previousCursor };
  async function* pieces(): AsyncGenerator<string> {
    // The envelope first (the page's size is known before any member is read), then the groups.
    const { Resources: _none, ...envelope } = listResponse([], total, request.page.startIndex, cursors);
    yield `${JSON.stringify({ ...envelope, itemsPerPage: groups.length }).slice(0, -1)},"Resources":[`;
    let separator = "";
    // Members that came with the page need no further read; a page holding more than a chunk of
    // members in all reads them in runs as it renders.
    const runs = withMembers && !pageMembers ? memberRuns(groups) : [{ groups, streamed: false }];
    for (const run of runs) {
      const members = pageMembers ?? (withMembers && !run.streamed ? await membersOfGroupRun(orgScope(c), run.groups) : undefined);
      for (const group of run.groups) {
        yield separator;
        separator = ",";
        yield* groupJson(c, group, p, run.streamed ? undefined : (members?.get(group.id) ?? []));
      }
    }
    yield "]}";
  }
  return streamed(c, pieces(), 200);
}

/** Whether the answer renders `members` (the writer then reads them in the write's own batch). */
function rendersMembers(c: Ctx): boolean {
  return keepsAttribute("members", projection(c), GROUP_RESOURCE);
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
  .post("/Groups", async (c) => {
    const group = await createGroup(orgScope(c), await readJsonObject(c), rendersMembers(c));
    return groupResponse(c, group, 201, group.firstMembers);
  })
  .all("/Groups", methodNotAllowed(["GET", "POST"]))
  .post("/Groups/.search", async (c) => listGroups(c, parseListRequest(bodyParams(await readJsonObject(c)), GROUP_RESOURCE)))
  .all("/Groups/.search", methodNotAllowed(["POST"]))
  .get("/Groups/:id", async (c) => {
    const withMembers = keepsAttribute("members", projection(c), GROUP_RESOURCE);
    const read = await readGroup(orgScope(c), c.req.param("id"), withMembers);
    if (ifNoneMatchHits(c.req.header("If-None-Match"), read.group.version)) {
      return c.body(null, 304, { ETag: etagOf(read.group.version) });
    }
    return groupResponse(c, read.group, 200, read);
  })
  .put("/Groups/:id", async (c) => {
    const body = await readJsonObject(c);
    const group = await replaceGroup(orgScope(c), c.req.param("id"), body, c.req.header("If-Match"), rendersMembers(c));
    return groupResponse(c, group, 200, group.firstMembers);
  })
  .patch("/Groups/:id", async (c) => {
    const body = await readJsonObject(c);
    const wanted = wantsPatchResult(c);
    const group = await patchGroup(orgScope(c), c.req.param("id"), body, c.req.header("If-Match"), wanted && rendersMembers(c));
    if (wanted) return groupResponse(c, group, 200, group.firstMembers);
    return c.body(null, 204, { ETag: etagOf(group.version) });
  })
  .delete("/Groups/:id", async (c) => {
    await removeGroup(orgScope(c), c.req.param("id"), c.req.header("If-Match"));
    return c.body(null, 204);
  })
  .all("/Groups/:id", methodNotAllowed(["GET", "PUT", "PATCH", "DELETE"]));

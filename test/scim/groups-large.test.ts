/**
 * A 50,000-member group (seeded by SQL): read whole over HTTP with a fixed number of statements,
 * streamed chunk by chunk; a single-member add or remove on it runs as many statements as on a
 * one-member group.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { MEMBER_READ_CHUNK } from "../../src/db/group-members";
import { countingScimOrg, ORIGIN, request, viaApp, type ScimClient, HEAVY_TEST_TIMEOUT } from "../support/helpers";
import { createGroup, GROUP, groupVersion, instrumentWriter, patchBody } from "../support/group-helpers";
import { groupRow, seedMembers, seedUsers } from "../support/seed";

const N = 50_000;

let org: ScimClient;
let counting: Awaited<ReturnType<typeof countingScimOrg>>["counting"];
let users: string[];
let big: string;
let small: string;

beforeAll(async () => {
  ({ org, counting } = await countingScimOrg());
  users = await seedUsers(org.orgId, N + 2);
  big = (await createGroup(org, { displayName: "Everyone" })).id;
  small = (await createGroup(org, { displayName: "One", members: [{ value: users[N + 1] }] })).id;
  await seedMembers(org.orgId, big, users.slice(0, N));
}, HEAVY_TEST_TIMEOUT);

/** Route-side statements of one request (the token is cached after the first request). */
async function routeStatements(send: () => Promise<unknown>) {
  counting.reset();
  await send();
  return counting.log.statements.length;
}

describe("GET /Groups/{id} of a 50,000-member group", () => {
  it("reads the group row and then the members in keyset chunks: 1 + ceil(n / 5,000) statements", async () => {
    let res: Awaited<ReturnType<ScimClient["call"]>> | undefined;
    const statements = await routeStatements(async () => (res = await org.call("GET", `/Groups/${big}`)));
    expect(statements).toBe(1 + Math.ceil(N / MEMBER_READ_CHUNK));
    expect(res!.status).toBe(200);
    const body = res!.body;
    expect(body).toMatchObject({ schemas: [GROUP], id: big, displayName: "Everyone", meta: { version: 'W/"1"' } });
    expect(body.members).toHaveLength(N);
    expect(body.members.map((m: { value: string }) => m.value)).toEqual(users.slice(0, N));
    expect(body.members[12_345]).toEqual({
      value: users[12_345],
      display: "User 012346",
      $ref: `${ORIGIN}/scim/v2/Users/${users[12_345]}`,
      type: "User",
    });
    // The same shape for a one-member group: only the number of member chunks differs.
    expect(await routeStatements(() => org.call("GET", `/Groups/${small}`))).toBe(2);
    expect(await routeStatements(() => org.call("GET", `/Groups/${big}?excludedAttributes=members`))).toBe(1);
  });

  it("streams the body: the members arrive in several pieces rather than as one rendered string", async () => {
    const send = viaApp();
    const res = await send(request("GET", `/scim/v2/Groups/${big}?attributes=members.value`, { headers: { Authorization: `Bearer ${org.token}` } }));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("application/scim+json");
    expect(res.headers.get("ETag")).toBe('W/"1"');
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let pieces = 0;
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      pieces++;
      text += decoder.decode(value, { stream: true });
    }
    expect(pieces).toBeGreaterThanOrEqual(Math.ceil(N / MEMBER_READ_CHUNK));
    const body = JSON.parse(text);
    expect(body.members).toHaveLength(N);
    expect(body.members[0]).toEqual({ value: users[0] });
  });
});

describe("a single-member change on a 50,000-member group", () => {
  it("runs the same fixed statements as on a one-member group, in one write batch", async () => {
    const newcomer = users[N];
    const measure = async (group: string, body: unknown) => {
      const stats = await instrumentWriter(org.orgId);
      const route = await routeStatements(async () => expect((await org.call("PATCH", `/Groups/${group}`, body)).status).toBe(204));
      return { route, writer: stats.statements, batches: stats.batches };
    };
    const add = patchBody({ op: "add", path: "members", value: [{ value: newcomer }] });
    const remove = patchBody({ op: "remove", path: `members[value eq "${newcomer}"]` });
    const bigAdd = await measure(big, add);
    const bigRemove = await measure(big, remove);
    const smallAdd = await measure(small, add);
    const smallRemove = await measure(small, remove);
    // Route: nothing but the writer call. Writer: group read, member-state read, one batch of
    // (membership event + membership statement + group update).
    for (const m of [bigAdd, bigRemove, smallAdd, smallRemove]) expect(m).toEqual({ route: 0, writer: 5, batches: 1 });
    expect(await groupRow(big)).toMatchObject({ member_count: N, version: 3 });
    expect(await groupVersion(org, small)).toBe('W/"3"');
  });

  it("answers a PUT of the same 50,000 members without writing, and a POST of 50,000 members under the body limit", async () => {
    const members = users.slice(0, N).map((value) => ({ value }));
    const before = await groupRow(big);
    const stats = await instrumentWriter(org.orgId);
    const put = await org.call("PUT", `/Groups/${big}?excludedAttributes=members`, { displayName: "Everyone", members });
    expect(put.status).toBe(200);
    expect(stats.batches).toBe(0);
    expect(await groupRow(big)).toEqual(before);

    const created = await org.call("POST", "/Groups?excludedAttributes=members", { displayName: "Copy", members });
    expect(created.status).toBe(201);
    expect(await groupRow(created.body.id)).toMatchObject({ member_count: N, version: 1 });
    // 40,000 ids per json_each statement: two reads and two inserts for 50,000 members.
    expect(stats.batches).toBe(1);
  }, HEAVY_TEST_TIMEOUT);
});

/**
 * A page of groups with members is rendered with bounded memory: small groups' members are read
 * together (no query per group), a group larger than one chunk is streamed in keyset chunks, and the
 * page keeps its order.
 */
import { describe, expect, it } from "vitest";
import { MEMBER_READ_CHUNK } from "../../src/db/group-members";
import type { StoredGroup } from "../../src/scim/resource/group";
import { memberRuns } from "../../src/services/groups";
import { countingScimOrg } from "../support/helpers";
import { createGroup } from "../support/group-helpers";
import { seedMembers, seedUsers } from "../support/seed";

const group = (id: string, memberCount: number) => ({ id, memberCount }) as StoredGroup;

describe("memberRuns", () => {
  it("groups consecutive small groups up to one chunk and isolates big ones, in page order", () => {
    const c = MEMBER_READ_CHUNK;
    const runs = memberRuns([group("a", 10), group("b", 0), group("c", c - 10), group("d", 1), group("e", c + 1), group("f", 3)]);
    expect(runs.map((r) => [r.groups.map((g) => g.id).join(""), r.streamed])).toEqual([
      ["abc", false],
      ["d", false],
      ["e", true],
      ["f", false],
    ]);
  });
});

describe("GET /Groups with big groups on the page", () => {
  it("returns every member of every group, in page order, reading big groups in chunks", async () => {
    const { org, counting } = await countingScimOrg();
    const users = await seedUsers(org.orgId, 2 * MEMBER_READ_CHUNK + 20);
    const names = ["a-small", "b-big", "c-small", "d-big", "e-empty"];
    const ids: string[] = [];
    for (const displayName of names) ids.push((await createGroup(org, { displayName })).id);
    const membersOf: Record<string, string[]> = {
      "a-small": users.slice(0, 10),
      "b-big": users.slice(0, MEMBER_READ_CHUNK + 5),
      "c-small": users.slice(100, 110),
      "d-big": users.slice(MEMBER_READ_CHUNK, 2 * MEMBER_READ_CHUNK + 20),
      "e-empty": [],
    };
    for (const [i, name] of names.entries()) await seedMembers(org.orgId, ids[i], membersOf[name]);

    counting.reset();
    const res = await org.call("GET", "/Groups?sortBy=displayName&count=10");
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ totalResults: 5, itemsPerPage: 5, startIndex: 1 });
    expect(res.body.Resources.map((g: any) => g.displayName)).toEqual(names);
    for (const g of res.body.Resources) {
      expect(g.members.map((m: any) => m.value).sort(), g.displayName).toEqual([...membersOf[g.displayName]].sort());
    }
    // Page batch (COUNT + page + the first 5,001 members, which tell that the page holds more than a
    // chunk) + one read per small run + ceil(n / chunk) per big group.
    const expected = 3 + 1 + Math.ceil((MEMBER_READ_CHUNK + 5) / MEMBER_READ_CHUNK) + 1 + Math.ceil((MEMBER_READ_CHUNK + 20) / MEMBER_READ_CHUNK);
    expect(counting.log.statements).toHaveLength(expected);
  });
});

/**
 * A Bulk request does what its operations do one by one: random sequences of operations on Users and
 * Groups (with bulkId references, If-Match versions, name collisions, unknown members, deletions)
 * run as one Bulk request in one organization and as single requests in another answer the same
 * statuses and leave the same users, groups, memberships and versions.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { newScimOrg, viaApp, type ScimClient } from "../support/helpers";
import { GROUP, patchBody } from "../support/group-helpers";
import { CORE } from "../support/user-helpers";

/** A resource an operation targets: one seeded before, or the one an earlier POST of the sequence created. */
type Target = { seeded: string } | { created: number };

type Step =
  | { kind: "createUser"; userName: string; displayName?: string }
  | { kind: "replaceUser"; target: Target; userName: string; active: boolean; version?: string }
  | { kind: "patchUser"; target: Target; displayName: string | null; userName?: string; version?: string }
  | { kind: "deleteUser"; target: Target; version?: string }
  | { kind: "createGroup"; displayName: string; members: Target[] }
  | { kind: "replaceGroup"; target: Target; displayName: string; members: Target[]; version?: string }
  | { kind: "patchGroup"; target: Target; add: Target[]; remove: Target[]; rename?: string; version?: string }
  | { kind: "deleteGroup"; target: Target; version?: string };

const SEEDED_USERS = ["s0", "s1", "s2"];
const SEEDED_GROUPS = ["S0", "S1"];
const userNames = fc.constantFrom("n0", "n1", "N0", "s1", "n2");
const groupNames = fc.constantFrom("G0", "g0", "G1", "S1");
const version = fc.option(fc.constantFrom('W/"1"', 'W/"2"', "*", 'W/"3"'), { nil: undefined });

function stepsArb(): fc.Arbitrary<Step[]> {
  return fc.array(fc.nat(), { minLength: 1, maxLength: 12 }).chain((seeds) => {
    // A target is a seeded resource or an earlier step (which may be no POST: then it is unknown).
    const arbs = seeds.map((_, i) => {
      const userTarget: fc.Arbitrary<Target> = i
        ? fc.oneof(fc.constantFrom(...SEEDED_USERS).map((seeded) => ({ seeded })), fc.nat({ max: i - 1 }).map((created) => ({ created })))
        : fc.constantFrom(...SEEDED_USERS).map((seeded) => ({ seeded }));
      const groupTarget: fc.Arbitrary<Target> = i
        ? fc.oneof(fc.constantFrom(...SEEDED_GROUPS).map((seeded) => ({ seeded })), fc.nat({ max: i - 1 }).map((created) => ({ created })))
        : fc.constantFrom(...SEEDED_GROUPS).map((seeded) => ({ seeded }));
      const members = fc.array(userTarget, { maxLength: 3 });
      return fc.oneof(
        fc.record({ kind: fc.constant("createUser" as const), userName: userNames, displayName: fc.option(fc.constantFrom("A", "B"), { nil: undefined }) }),
        fc.record({ kind: fc.constant("replaceUser" as const), target: userTarget, userName: userNames, active: fc.boolean(), version }),
        fc.record({ kind: fc.constant("patchUser" as const), target: userTarget, displayName: fc.constantFrom("X", "Y", null), userName: fc.option(userNames, { nil: undefined }), version }),
        fc.record({ kind: fc.constant("deleteUser" as const), target: userTarget, version }),
        fc.record({ kind: fc.constant("createGroup" as const), displayName: groupNames, members }),
        fc.record({ kind: fc.constant("replaceGroup" as const), target: groupTarget, displayName: groupNames, members, version }),
        fc.record({ kind: fc.constant("patchGroup" as const), target: groupTarget, add: members, remove: members, rename: fc.option(groupNames, { nil: undefined }), version }),
        fc.record({ kind: fc.constant("deleteGroup" as const), target: groupTarget, version }),
      ) as fc.Arbitrary<Step>;
    });
    return fc.tuple(...arbs);
  });
}

interface World {
  org: ScimClient;
  users: Map<string, string>;
  groups: Map<string, string>;
}

async function seededWorld(): Promise<World> {
  const org = await newScimOrg({ send: viaApp() });
  const users = new Map<string, string>();
  for (const name of SEEDED_USERS) users.set(name, (await org.call("POST", "/Users", { userName: name })).body.id);
  const groups = new Map<string, string>();
  for (const [i, name] of SEEDED_GROUPS.entries()) {
    groups.set(name, (await org.call("POST", "/Groups", { displayName: name, members: [{ value: users.get(SEEDED_USERS[i])! }] })).body.id);
  }
  return { org, users, groups };
}

const endpoint = (step: Step) => (step.kind.endsWith("User") ? "Users" : "Groups");
const methodOf = (step: Step) => (step.kind.startsWith("create") ? "POST" : step.kind.startsWith("replace") ? "PUT" : step.kind.startsWith("patch") ? "PATCH" : "DELETE");

/** The step's body, with targets written by `ref` (an id, or a `bulkId:` reference). */
function bodyOf(step: Step, ref: (t: Target, kind: "Users" | "Groups") => string): Record<string, unknown> | undefined {
  const member = (t: Target) => ({ value: ref(t, "Users") });
  switch (step.kind) {
    case "createUser":
      return { schemas: [CORE], userName: step.userName, ...(step.displayName ? { displayName: step.displayName } : {}) };
    case "replaceUser":
      return { schemas: [CORE], userName: step.userName, active: step.active };
    case "patchUser":
      return patchBody(
        { op: "replace", path: "displayName", value: step.displayName },
        ...(step.userName ? [{ op: "replace", path: "userName", value: step.userName }] : []),
      );
    case "createGroup":
    case "replaceGroup":
      return { schemas: [GROUP], displayName: step.displayName, members: step.members.map(member) };
    case "patchGroup":
      return patchBody(
        ...(step.add.length ? [{ op: "add", path: "members", value: step.add.map(member) }] : []),
        ...(step.remove.length ? [{ op: "remove", path: "members", value: step.remove.map(member) }] : []),
        ...(step.rename ? [{ op: "replace", path: "displayName", value: step.rename }] : []),
      );
    default:
      return undefined;
  }
}

/**
 * The steps as single requests. What Bulk answers without running a step: a reference to a step that
 * is no POST names no bulkId (400), one to a POST that created nothing cannot be resolved (409).
 */
async function runSingles(world: World, steps: Step[]): Promise<string[]> {
  const created = new Map<number, string>();
  const statuses: string[] = [];
  for (const [i, step] of steps.entries()) {
    let unresolved: string | undefined;
    const ref = (t: Target, kind: "Users" | "Groups") => {
      if ("seeded" in t) return (kind === "Users" ? world.users : world.groups).get(t.seeded)!;
      const id = created.get(t.created);
      if (id === undefined) unresolved = methodOf(steps[t.created]) === "POST" ? (unresolved ?? "409") : "400";
      return id ?? "unresolved";
    };
    const body = bodyOf(step, ref);
    const path = "target" in step ? `/${endpoint(step)}/${ref(step.target, endpoint(step))}` : `/${endpoint(step)}`;
    if (unresolved) {
      statuses.push(unresolved);
      continue;
    }
    const headers: Record<string, string> = "version" in step && step.version ? { "If-Match": step.version } : {};
    const res = await world.org.call(methodOf(step), path, body, headers);
    statuses.push(String(res.status));
    if (res.status === 201) created.set(i, res.body.id);
  }
  return statuses;
}

/** The steps as one Bulk request, targets of earlier POSTs as bulkId references. */
async function runBulk(world: World, steps: Step[]): Promise<string[]> {
  const ref = (t: Target, kind: "Users" | "Groups") => ("seeded" in t ? (kind === "Users" ? world.users : world.groups).get(t.seeded)! : `bulkId:b${t.created}`);
  const Operations = steps.map((step, i) => ({
    method: methodOf(step),
    path: "target" in step ? `/${endpoint(step)}/${ref(step.target, endpoint(step))}` : `/${endpoint(step)}`,
    ...(methodOf(step) === "POST" ? { bulkId: `b${i}` } : {}),
    ...("version" in step && step.version ? { version: step.version } : {}),
    ...(bodyOf(step, ref) ? { data: bodyOf(step, ref) } : {}),
  }));
  const res = await world.org.call("POST", "/Bulk", { Operations });
  expect(res.status, JSON.stringify(res.body)).toBe(200);
  return res.body.Operations.map((o: { status: string }) => o.status);
}

/** Users and groups by name, members by userName, versions: comparable across organizations. */
async function state(world: World) {
  const users = (await world.org.call("GET", "/Users?count=200&sortBy=userName")).body.Resources;
  const groups = (await world.org.call("GET", "/Groups?count=200&sortBy=displayName")).body.Resources;
  const nameOf = new Map(users.map((u: any) => [u.id, u.userName]));
  return {
    users: users.map((u: any) => [u.userName, u.displayName ?? null, u.active, u.meta.version]),
    groups: groups.map((g: any) => [g.displayName, g.meta.version, g.members.map((m: any) => nameOf.get(m.value)).sort()]),
  };
}

describe("Bulk is its operations, one by one", () => {
  it("answers the same statuses and leaves the same organization as single requests", async () => {
    let withErrors = 0;
    await fc.assert(
      fc.asyncProperty(stepsArb(), async (steps) => {
        const [singles, bulked] = await Promise.all([seededWorld(), seededWorld()]);
        const expected = await runSingles(singles, steps);
        const got = await runBulk(bulked, steps);
        expect(got, JSON.stringify(steps)).toEqual(expected);
        expect(await state(bulked), JSON.stringify(steps)).toEqual(await state(singles));
        if (expected.some((s) => Number(s) >= 400)) withErrors++;
      }),
      { numRuns: 40 },
    );
    // The sequences exercised failures, not only the happy path.
    expect(withErrors).toBeGreaterThan(10);
  }, 240_000);
});

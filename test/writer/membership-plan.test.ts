import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { planMembership, referencedIds, type MemberOp } from "../../src/org-writer/membership";

const universe = ["a", "b", "c", "d", "e", "f"];
const idList = fc.array(fc.constantFrom(...universe), { maxLength: 5 });
const op: fc.Arbitrary<MemberOp> = fc.oneof(
  idList.map((ids) => ({ kind: "add" as const, ids })),
  idList.map((ids) => ({ kind: "remove" as const, ids })),
  idList.map((ids) => ({ kind: "replace" as const, ids })),
  fc.constant({ kind: "removeAll" as const }),
);

/** The obvious model: apply each op to the whole member set. */
function model(initial: Set<string>, users: Set<string>, ops: MemberOp[]) {
  let set = new Set(initial);
  const unknown = new Set<string>();
  for (const o of ops) {
    if (o.kind === "removeAll" || o.kind === "replace") set = new Set();
    if (o.kind === "add" || o.kind === "replace") for (const id of o.ids) users.has(id) ? set.add(id) : unknown.add(id);
    if (o.kind === "remove") for (const id of o.ids) set.delete(id);
  }
  return { set, unknown };
}

describe("planMembership", () => {
  it("agrees with applying the ops to the whole member set", () => {
    fc.assert(
      fc.property(
        fc.subarray(universe),
        fc.subarray(universe),
        fc.array(op, { maxLength: 6 }),
        fc.nat(20),
        (membersRaw, usersRaw, ops, outsiders) => {
          const users = new Set([...usersRaw, ...membersRaw]); // members are always users
          const initial = new Set(membersRaw);
          // The writer only knows the state of referenced ids, plus a count that includes unreferenced members.
          const states = new Map(
            referencedIds(ops).map((id) => [id, { isUser: users.has(id), isMember: initial.has(id) }]),
          );
          const plan = planMembership(ops, states, initial.size + outsiders);
          const expected = model(initial, users, ops);

          expect(new Set(plan.unknownIds)).toEqual(expected.unknown);
          // Apply the plan to the stored set (including members the request never named).
          const stored = new Set([...initial, ...Array.from({ length: outsiders }, (_, i) => `outsider${i}`)]);
          let after = plan.clearAll ? new Set<string>() : new Set(stored);
          for (const id of plan.toDelete) after.delete(id);
          for (const id of plan.toInsert) after.add(id);
          const clearsOthers = ops.some((o) => o.kind === "replace" || o.kind === "removeAll");
          const expectedAfter = clearsOthers
            ? expected.set
            : new Set([...expected.set, ...Array.from({ length: outsiders }, (_, i) => `outsider${i}`)]);
          if (plan.changed) expect(after).toEqual(expectedAfter);
          expect(plan.memberCount).toBe(expectedAfter.size);
          const same = expectedAfter.size === stored.size && [...stored].every((id) => expectedAfter.has(id));
          expect(plan.changed).toBe(!same);
        },
      ),
      { numRuns: 2000 },
    );
  });
});

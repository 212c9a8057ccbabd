/**
 * src/scim/bulk as plain functions: reading operations, the order bulkId references impose, and the
 * errors for references that cannot be resolved. Property: whatever the references, every operation
 * is planned exactly once, after every POST it waits for, and without references in request order.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseBulkRequest, planBulk, referencedBulkIds, resolveBulkIds } from "../../src/scim/bulk";
import { scimErrorOf } from "../support/scim-error";

const post = (bulkId: string, data: Record<string, unknown> = {}) => ({ method: "post", path: "/Users", bulkId, data: { userName: bulkId, ...data } });

describe("reading a BulkRequest", () => {
  it("reads each operation on its own, case-insensitively, and refuses only a body that is none", () => {
    const { operations, failOnErrors } = parseBulkRequest({
      FailOnErrors: "2",
      operations: [post("a"), { Method: "Delete", Path: "Groups/x%20y/" }, { method: "PATCH", path: "/Users/1" }, 7],
    });
    expect(failOnErrors).toBe(2);
    expect(operations[0]).toMatchObject({ index: 0, method: "POST", endpoint: "Users", bulkId: "a" });
    expect(operations[1]).toMatchObject({ method: "DELETE", endpoint: "Groups", id: "x y" });
    expect(operations[1].error).toBeUndefined();
    expect(operations[2].error).toMatchObject({ status: 400, scimType: "invalidSyntax" });
    expect(operations[3].error).toMatchObject({ status: 400, scimType: "invalidSyntax" });
    expect(scimErrorOf(() => parseBulkRequest({})).scimType).toBe("invalidSyntax");
    expect(scimErrorOf(() => parseBulkRequest({ Operations: Array(1001).fill(post("x")) })).status).toBe(413);
  });

  it("finds and replaces bulkId references anywhere in path and data", () => {
    const op = parseBulkRequest({
      Operations: [{ method: "PATCH", path: "/Groups/bulkId:g", data: { Operations: [{ op: "add", path: "members", value: ["bulkId:u", { value: "bulkId:v" }] }] } }],
    }).operations[0];
    expect(referencedBulkIds(op).sort()).toEqual(["g", "u", "v"]);
    const ids = new Map([["g", "G1"], ["u", "U1"], ["v", "V1"]]);
    expect(resolveBulkIds(op.id, ids)).toBe("G1");
    expect(resolveBulkIds(op.data, ids)).toEqual({ Operations: [{ op: "add", path: "members", value: ["U1", { value: "V1" }] }] });
    expect(resolveBulkIds("bulkId:", ids)).toBe("bulkId:");
  });
});

describe("planning the order", () => {
  it("runs referenced POSTs first, keeps request order otherwise, and names cycles", () => {
    const planned = planBulk(
      parseBulkRequest({
        Operations: [
          { method: "POST", path: "/Groups", bulkId: "g", data: { displayName: "G", members: ["bulkId:b", "bulkId:a"] } },
          post("a"),
          post("b"),
          post("c", { manager: "bulkId:d" }),
          post("d", { manager: "bulkId:c" }),
          post("e", { manager: "bulkId:nobody" }),
          post("a"),
        ],
      }).operations,
    );
    expect(planned.map((p) => p.op.index)).toEqual([1, 2, 0, 5, 6, 3, 4]);
    expect(planned.find((p) => p.op.index === 0)!.dependsOn.sort()).toEqual([1, 2]);
    const error = (i: number) => planned.find((p) => p.op.index === i)!.op.error;
    expect(error(3)).toMatchObject({ status: 409 });
    expect(error(3)!.detail).toContain("bulkId:c → bulkId:d → bulkId:c");
    expect(error(5)).toMatchObject({ status: 400, scimType: "invalidValue" });
    expect(error(6)).toMatchObject({ status: 400, scimType: "invalidValue" });
  });

  it("plans every operation once, after the POSTs it references (property)", () => {
    const ops = fc.array(
      fc.record({ post: fc.boolean(), refs: fc.array(fc.nat({ max: 9 }), { maxLength: 3 }) }),
      { minLength: 1, maxLength: 10 },
    );
    fc.assert(
      fc.property(ops, (specs) => {
        const operations = specs.map((s, i) =>
          s.post
            ? post(`b${i}`, { members: s.refs.map((r) => `bulkId:b${r}`) })
            : { method: "PATCH", path: "/Users/x", data: { Operations: [{ op: "add", path: "members", value: s.refs.map((r) => `bulkId:b${r}`) }] } },
        );
        const planned = planBulk(parseBulkRequest({ Operations: operations }).operations);
        expect(planned.map((p) => p.op.index).sort((a, b) => a - b)).toEqual(specs.map((_, i) => i));
        const position = new Map(planned.map((p, k) => [p.op.index, k]));
        for (const p of planned) {
          if (p.op.error) continue;
          for (const d of p.dependsOn) expect(position.get(d)!).toBeLessThan(position.get(p.op.index)!);
        }
        if (specs.every((s) => s.refs.length === 0)) expect(planned.map((p) => p.op.index)).toEqual(specs.map((_, i) => i));
      }),
      { numRuns: 500 },
    );
  });
});

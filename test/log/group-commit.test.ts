import { describe, expect, it } from "vitest";
import { groupCommit, groupCommitPerKey } from "../../src/lib/group-commit";

function controllableFlush() {
  const calls: { items: number[]; finish: (error?: Error) => void }[] = [];
  const flush = (items: number[]) =>
    new Promise<void>((resolve, reject) => calls.push({ items, finish: (e) => (e ? reject(e) : resolve()) }));
  return { calls, flush };
}

const tick = () => new Promise((r) => setTimeout(r, 0));

describe("groupCommit", () => {
  it("writes the first entry at once and everything queued behind it in one next write", async () => {
    const { calls, flush } = controllableFlush();
    const submit = groupCommit<number, null>(flush);
    const done = [1, 2, 3, 4].map((n) => submit(n, null));
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1]]);
    calls[0].finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2, 3, 4]]);
    calls[1].finish();
    await Promise.all(done);
  });

  it("fails exactly the entries of a failed write, and carries on", async () => {
    const { calls, flush } = controllableFlush();
    const submit = groupCommit<number, null>(flush);
    const first = submit(1, null);
    const second = [submit(2, null), submit(3, null)];
    await tick();
    calls[0].finish();
    await first;
    await tick();
    calls[1].finish(new Error("D1 unavailable"));
    for (const p of second) await expect(p).rejects.toThrow("D1 unavailable");
    const third = submit(4, null);
    await tick();
    expect(calls[2].items).toEqual([4]);
    calls[2].finish();
    await third;
  });
});

describe("groupCommitPerKey", () => {
  it("commits each key's entries on their own: one key's write in flight holds back no other key", async () => {
    const { calls, flush } = controllableFlush();
    const submit = groupCommitPerKey<number, null>((n) => (n % 2 ? "odd" : "even"), flush);
    const outcomes = Promise.allSettled([1, 2, 3, 4, 5].map((n) => submit(n, null)));
    await tick();
    // The first of each key goes at once; the rest of each key waits for its own key's write.
    expect(calls.map((c) => c.items)).toEqual([[1], [2]]);
    calls[1].finish();
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [4]]);
    calls[0].finish(new Error("odd log unreachable"));
    await tick();
    expect(calls.map((c) => c.items)).toEqual([[1], [2], [4], [3, 5]]);
    calls[2].finish();
    calls[3].finish();
    // Only the failed write's entry fails.
    expect((await outcomes).map((o) => o.status)).toEqual(["rejected", "fulfilled", "fulfilled", "fulfilled", "fulfilled"]);
  });
});

// Issue 16, tenant fairness: every organization shares one D1 database, so a runaway identity provider
// could slow every other tenant down. With the runaway org at the `restricted` level, its flood is
// answered 429 before it reaches D1, and a quiet org's median latency stays within 1.5× of its median
// alone. Both medians come from the same run, in interleaved rounds (alone, flooded, flooded, alone, …),
// so that a busy machine slows both alike. (Left at `standard`, the same flood reaches D1, and this
// test measured a ratio of about 7.)
import { describe, expect, it } from "vitest";
import { admin, newScimOrg, viaApp, type ScimClient } from "../support/helpers";
import { seedUsers } from "../support/seed";

const send = viaApp();
const ROUNDS = 10;
const PROBES_PER_PHASE = 8;
/**
 * The runaway identity provider: with each of the quiet org's requests, FLOOD_BURST of its own, sent
 * at the same moment and answered concurrently (an open-loop flood: it does not wait for answers).
 * Timers cannot pace a flood here: workerd runs them only when the isolate is idle, and a loop without
 * any pause would measure how fast this one test isolate can spin instead (both orgs share its thread).
 */
const FLOOD_BURST = 8;
/** A flood request that would cost D1 real work if it got through: a filtered page of 200 users. */
const FLOOD_PATH = `/Users?count=200&sortBy=userName&filter=${encodeURIComponent('userName sw "user" and active eq true')}`;
const PROBE_PATH = "/Users?count=50&sortBy=userName";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** The quiet org's probes, each timed; with `runaway`, each sent in the middle of a burst of the runaway's. */
async function probe(org: ScimClient, into: number[], runaway?: { org: ScimClient; statuses: number[] }) {
  for (let i = 0; i < PROBES_PER_PHASE; i++) {
    const burst = runaway
      ? Array.from({ length: FLOOD_BURST }, async () => runaway.statuses.push((await runaway.org.call("GET", FLOOD_PATH)).status))
      : [];
    const started = performance.now();
    const res = await org.call("GET", PROBE_PATH);
    into.push(performance.now() - started);
    expect(res.status).toBe(200);
    await Promise.all(burst);
  }
}

describe("one organization flooding", () => {
  it("leaves another organization's median latency within 1.5× of its median alone", { timeout: 120_000 }, async () => {
    const quiet = await newScimOrg({ send });
    const runaway = await newScimOrg({ send });
    await seedUsers(quiet.orgId, 300);
    await seedUsers(runaway.orgId, 3000);
    expect((await admin("PUT", `/orgs/${runaway.orgId}/rate-limits`, { level: "restricted" }, send)).status).toBe(200);
    await probe(quiet, []); // warm caches (token, statements) before measuring

    const alone: number[] = [];
    const flooded: number[] = [];
    const floodStatuses: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const phases = [() => probe(quiet, alone), () => probe(quiet, flooded, { org: runaway, statuses: floodStatuses })];
      if (round % 2 === 1) phases.reverse();
      for (const phase of phases) await phase();
    }

    const ratio = median(flooded) / median(alone);
    const refused = floodStatuses.filter((s) => s === 429).length;
    console.log(
      `rate-limit isolation: quiet org p50 alone ${median(alone).toFixed(1)} ms, while flooded ${median(flooded).toFixed(1)} ms ` +
        `(ratio ${ratio.toFixed(2)}); runaway org sent ${floodStatuses.length} requests, ${refused} answered 429`,
    );
    expect(floodStatuses.length).toBe(ROUNDS * PROBES_PER_PHASE * FLOOD_BURST);
    expect(refused / floodStatuses.length).toBeGreaterThan(0.8);
    expect(floodStatuses.every((s) => s === 200 || s === 429)).toBe(true);
    expect(ratio).toBeLessThanOrEqual(1.5); // every probe of the quiet org was answered 200 (probe asserts it)
  });
});

/**
 * `npx tsx bench/chart.ts`: redraws docs/patch-latency.svg from the run recorded in docs/performance.md's
 * table (the rows "PATCH add 1 member, group of N" and "PATCH /Groups add 1 member (one group, C
 * concurrent)"), without running the benchmark. `npm run bench -- --docs` draws the same chart from its
 * own run.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { latencyChartSvg, type ChartPoint, type ConcurrentPoint } from "./report";
import { ROOT } from "../test/e2e/support/dev-server";

const doc = readFileSync(path.join(ROOT, "docs/performance.md"), "utf8");
/** `| operation | count | req/s | p50 ms | p95 ms | p99 ms | … |` rows of the run's table. */
const rows = [...doc.matchAll(/^\| (.+?) \| (\d+) \| [\d.–]+ \| ([\d.]+) \| ([\d.]+) \| ([\d.]+) \|/gm)].map((m) => ({
  operation: m[1],
  count: Number(m[2]),
  p50: Number(m[3]),
  p95: Number(m[4]),
  p99: Number(m[5]),
}));

const points: ChartPoint[] = rows
  .flatMap((r) => {
    const size = /^PATCH add 1 member, group of (\d+)$/.exec(r.operation)?.[1];
    return size ? [{ groupSize: Number(size), p50: r.p50, p95: r.p95, p99: r.p99 }] : [];
  })
  .sort((a, b) => a.groupSize - b.groupSize);
const serial = rows.find((r) => /^PATCH \/Groups add 1 member \(one group, \d+ concurrent\)$/.test(r.operation));
if (points.length < 2 || !serial) throw new Error("docs/performance.md has no recorded single-member PATCH rows to draw");
// The concurrent case starts on an empty group and adds one member per PATCH: it ends with `count` members.
const concurrent: ConcurrentPoint = {
  groupSize: serial.count,
  concurrency: Number(/(\d+) concurrent/.exec(serial.operation)![1]),
  p50: serial.p50,
  p95: serial.p95,
  p99: serial.p99,
};
writeFileSync(path.join(ROOT, "docs/patch-latency.svg"), latencyChartSvg(points, "Single-member PATCH latency by group size", concurrent));
console.log(`Wrote docs/patch-latency.svg: ${points.length} group sizes and the ${concurrent.concurrency}-concurrent case.`);

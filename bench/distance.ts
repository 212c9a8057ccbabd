/**
 * `npx tsx bench/distance.ts bench/results/latency-….json`: the "Latency by distance" table and chart
 * (docs/latency-by-distance.svg) from one `npm run bench -- --distances 0,20,80,150` run — MEASURED p50s:
 * each operation run at concurrency 1 at every primary round trip R (primary and OrgWriter calls R ms,
 * replica 5 ms, KV 2 ms, the writer's own D1 1 ms), with read replicas on and with replication off (every
 * read to the primary), interleaved in the same run. Nothing is projected. `npx tsx bench/distance.ts
 * --from-docs` redraws the chart from the table recorded in docs/performance.md (its values, rounded to
 * 1 ms), without a run.
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../test/e2e/support/dev-server";
import type { Hops } from "./latency";
import { linearAxis } from "./report";

type Mode = { p50Ms: number[]; p95Ms: number[]; roundTrips: Hops };
interface Distances {
  rttMs: number[];
  operations: Record<string, { on: Mode; off: Mode }>;
}

const SHOWN = ["get-user", "lookup-user", "lookup-absent-user", "create-user", "patch-user", "patch-group-member", "list-groups"];

/** p50 (ms) of an operation at the i-th round trip, with replicas on or off. */
type P50 = (name: string, i: number, replicas: boolean) => number;

export function chart(rtts: number[], p50: P50, subtitle: string): string {
  const width = 760;
  const height = 440;
  const pad = { left: 64, right: 200, top: 64, bottom: 56 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  // Both axes end at the data (the largest round trip measured, the slowest p50); ticks are round.
  const xMax = Math.max(...rtts);
  const yAxis = linearAxis(Math.max(...SHOWN.flatMap((name) => rtts.flatMap((_, i) => [p50(name, i, true), p50(name, i, false)]))));
  const x = (r: number) => pad.left + (r / xMax) * plotW;
  const y = (v: number) => pad.top + plotH - (v / yAxis.max) * plotH;
  const f = (v: number) => v.toFixed(1);
  const colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${pad.left + plotW / 2}" y="22" text-anchor="middle" font-size="15">Measured p50 per operation vs round trip to the D1 primary</text>`,
    `<text x="${pad.left + plotW / 2}" y="42" text-anchor="middle" fill="#555">${subtitle}</text>`,
    ...yAxis.ticks.map(
      (v) => `<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#e5e5e5"/><text x="${pad.left - 8}" y="${f(y(v) + 4)}" text-anchor="end">${v}</text>`,
    ),
    ...linearAxis(xMax, 6).ticks.map(
      (r) => `<line x1="${f(x(r))}" x2="${f(x(r))}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#f0f0f0"/><text x="${f(x(r))}" y="${height - pad.bottom + 20}" text-anchor="middle">${r}</text>`,
    ),
    `<rect x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${pad.left + plotW / 2}" y="${height - 12}" text-anchor="middle">round trip to the D1 primary (ms)</text>`,
    `<text x="16" y="${pad.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${pad.top + plotH / 2})">p50 (ms)</text>`,
  ];
  SHOWN.forEach((name, n) => {
    const colour = colours[n % colours.length];
    for (const replicas of [true, false]) {
      const d = rtts.map((r, i) => `${i ? "L" : "M"}${f(x(r))},${f(y(p50(name, i, replicas)))}`).join(" ");
      parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${replicas ? "" : ' stroke-dasharray="6 4"'}/>`);
      // A marker at each measured point: the lines only join measurements.
      parts.push(...rtts.map((r, i) => `<circle cx="${f(x(r))}" cy="${f(y(p50(name, i, replicas)))}" r="3" fill="${replicas ? colour : "#fff"}" stroke="${colour}" stroke-width="1.5"/>`));
    }
    const ly = pad.top + 10 + n * 20;
    parts.push(`<line x1="${width - pad.right + 12}" x2="${width - pad.right + 36}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/><text x="${width - pad.right + 42}" y="${ly + 4}">${name}</text>`);
  });
  const ly = pad.top + 10 + SHOWN.length * 20 + 12;
  parts.push(`<line x1="${width - pad.right + 12}" x2="${width - pad.right + 36}" y1="${ly}" y2="${ly}" stroke="#333" stroke-width="2"/><text x="${width - pad.right + 42}" y="${ly + 4}">replicas on</text>`);
  parts.push(`<line x1="${width - pad.right + 12}" x2="${width - pad.right + 36}" y1="${ly + 20}" y2="${ly + 20}" stroke="#333" stroke-width="2" stroke-dasharray="6 4"/><text x="${width - pad.right + 42}" y="${ly + 24}">replication off</text>`);
  parts.push("</svg>");
  return parts.join("\n");
}

const SUBTITLE = "concurrency 1, local workerd with simulated hops (replica 5 ms, KV 2 ms); solid: replicas on, dashed: off";

/** The table of docs/performance.md: a header `| operation | hops … | R ms on / off | … |`, rows `| name | hops | a / b | … |`. */
function fromDocs(): { rtts: number[]; p50: P50 } {
  const doc = readFileSync(path.join(ROOT, "docs/performance.md"), "utf8");
  const header = doc.match(/^\| operation \|(?: hops[^|]*\|)+((?: \d+ ms on \/ off \|)+)$/m);
  if (!header) throw new Error("docs/performance.md has no latency-by-distance table");
  const rtts = [...header[1].matchAll(/(\d+) ms on/g)].map((m) => Number(m[1]));
  const table = new Map<string, [number, number][]>();
  for (const m of doc.matchAll(/^\| ([a-z-]+) \|(?: [^|]+ \|)+?((?: \d+ \/ \d+ \|)+)$/gm)) {
    table.set(m[1], m[2].split("|").filter((c) => c.trim()).map((c) => c.split("/").map(Number) as [number, number]));
  }
  for (const name of SHOWN) {
    if (table.get(name)?.length !== rtts.length) throw new Error(`docs/performance.md has no recorded row for ${name}`);
  }
  return { rtts, p50: (name, i, replicas) => table.get(name)![i][replicas ? 0 : 1] };
}

const hopsText = (h: Hops) => Object.entries(h).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(", ");

function main() {
  const svgPath = path.join(ROOT, "docs/latency-by-distance.svg");
  if (process.argv[2] === "--from-docs") {
    const { rtts, p50 } = fromDocs();
    writeFileSync(svgPath, chart(rtts, p50, SUBTITLE));
    console.log("Wrote docs/latency-by-distance.svg from docs/performance.md's table.");
    return;
  }
  const file = process.argv[2];
  if (!file) throw new Error("usage: tsx bench/distance.ts bench/results/latency-….json (from a --distances run) | --from-docs");
  const run = JSON.parse(readFileSync(file, "utf8")) as {
    startedAt: string;
    loadAverage: number[];
    loadAverageAfter: number[];
    samplesPerOperation: number;
    distances?: Distances;
  };
  if (!run.distances) throw new Error(`${file} has no measured distances: run npm run bench -- --distances 0,20,80,150`);
  const { rttMs: rtts, operations } = run.distances;
  const load = (l: number[]) => l.map((v) => v.toFixed(1)).join(" / ");
  const lines = [
    `Measured ${run.startedAt.slice(0, 16).replace("T", " ")} UTC, ${run.samplesPerOperation} samples per operation and setting; load average ${load(run.loadAverage)} at the start, ${load(run.loadAverageAfter)} at the end.`,
    "",
    `| operation | hops (replicas on) | hops (replication off) | ${rtts.map((r) => `${r} ms on / off`).join(" | ")} |`,
    `| --- | --- | --- | ${rtts.map(() => "---:").join(" | ")} |`,
  ];
  for (const [name, op] of Object.entries(operations)) {
    lines.push(`| ${name} | ${hopsText(op.on.roundTrips)} | ${hopsText(op.off.roundTrips)} | ${rtts.map((_, i) => `${op.on.p50Ms[i].toFixed(0)} / ${op.off.p50Ms[i].toFixed(0)}`).join(" | ")} |`);
  }
  console.log(lines.join("\n"));
  writeFileSync(svgPath, chart(rtts, (name, i, replicas) => operations[name][replicas ? "on" : "off"].p50Ms[i], SUBTITLE));
  console.log(`\nWrote ${path.relative(ROOT, svgPath)}`);
}

main();

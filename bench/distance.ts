/**
 * `npx tsx bench/distance.ts bench/results/latency-….json`: the "Latency by distance" table and chart
 * (docs/latency-by-distance.svg) from one `--latency` run. `npx tsx bench/distance.ts --from-docs` redraws
 * the chart from the table recorded in docs/performance.md (its values, rounded to 1 ms), without a run. Each operation's p50 at a primary round
 * trip of R ms is its measured p50 without delays plus its counted hops priced at R (primary and
 * OrgWriter calls), 5 ms (replica), 2 ms (KV) and 1 ms (the writer's own D1). With replicas off, the
 * reads a replica served go to the primary, and nothing is confirmed twice. The run itself checks the
 * model at R = 80 (p50Ms against the same sum; see the JSON's withinBudget).
 */
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { ROOT } from "../test/e2e/support/dev-server";
import { linearAxis } from "./report";

type Hops = { primary: number; replica: number; kv: number; cache: number; writer: number; writerDb: number };
type Op = { roundTrips: Hops; p50NoDelayMs: number; p50Ms: number };

const RTTS = [0, 20, 80, 150];
const SHOWN = ["get-user", "lookup-user", "lookup-absent-user", "create-user", "patch-user", "patch-group-member", "list-groups"];

function p50At(op: Op, rtt: number, replicas: boolean): number {
  const h = op.roundTrips;
  // Off: the one read a replica served goes to the primary, and an absent answer needs no second look.
  const primary = replicas || h.replica === 0 ? h.primary : 1;
  const replica = replicas ? h.replica : 0;
  return op.p50NoDelayMs + primary * rtt + replica * 5 + h.kv * 2 + h.writer * rtt + h.writerDb * 1;
}

/** p50 (ms) of an operation at a primary round trip, with replicas on or off. */
type P50 = (name: string, rtt: number, replicas: boolean) => number;

function chart(p50: P50): string {
  const width = 760;
  const height = 420;
  const pad = { left: 64, right: 200, top: 48, bottom: 56 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  // Both axes end at the data (the largest round trip priced, the slowest p50); ticks are round.
  const xMax = Math.max(...RTTS);
  const yAxis = linearAxis(Math.max(...SHOWN.flatMap((name) => RTTS.flatMap((r) => [p50(name, r, true), p50(name, r, false)]))));
  const x = (r: number) => pad.left + (r / xMax) * plotW;
  const y = (v: number) => pad.top + plotH - (v / yAxis.max) * plotH;
  const f = (v: number) => v.toFixed(1);
  const colours = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02", "#a6761d"];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${pad.left + plotW / 2}" y="24" text-anchor="middle" font-size="15">p50 per operation vs round trip to the D1 primary (solid: replicas on, dashed: off)</text>`,
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
  SHOWN.forEach((name, i) => {
    const colour = colours[i % colours.length];
    for (const replicas of [true, false]) {
      const d = RTTS.map((r, j) => `${j ? "L" : "M"}${f(x(r))},${f(y(p50(name, r, replicas)))}`).join(" ");
      parts.push(`<path d="${d}" fill="none" stroke="${colour}" stroke-width="2"${replicas ? "" : ' stroke-dasharray="6 4"'}/>`);
    }
    const ly = pad.top + 10 + i * 20;
    parts.push(`<line x1="${width - pad.right + 12}" x2="${width - pad.right + 36}" y1="${ly}" y2="${ly}" stroke="${colour}" stroke-width="2"/><text x="${width - pad.right + 42}" y="${ly + 4}">${name}</text>`);
  });
  parts.push("</svg>");
  return parts.join("\n");
}

/** The "p50 by the round trip" table of docs/performance.md: `| name | hops | a / b | … |` per operation. */
function fromDocs(): P50 {
  const doc = readFileSync(path.join(ROOT, "docs/performance.md"), "utf8");
  const table = new Map<string, [number, number][]>();
  for (const m of doc.matchAll(/^\| ([a-z-]+) \| [^|]+ \|((?: \d+ \/ \d+ \|)+)$/gm)) {
    table.set(m[1], m[2].split("|").filter((c) => c.trim()).map((c) => c.split("/").map(Number) as [number, number]));
  }
  for (const name of SHOWN) {
    if (table.get(name)?.length !== RTTS.length) throw new Error(`docs/performance.md has no recorded row for ${name}`);
  }
  return (name, rtt, replicas) => table.get(name)![RTTS.indexOf(rtt)][replicas ? 0 : 1];
}

if (process.argv[2] === "--from-docs") {
  writeFileSync(path.join(ROOT, "docs/latency-by-distance.svg"), chart(fromDocs()));
  console.log("Wrote docs/latency-by-distance.svg from docs/performance.md's table.");
  process.exit(0);
}

const file = process.argv[2];
if (!file) throw new Error("usage: tsx bench/distance.ts bench/results/latency-….json");
const run = JSON.parse(readFileSync(file, "utf8")) as { operations: Record<string, Op> };
const lines = [
  `| operation | hops (replicas on) | ${RTTS.map((r) => `${r} ms on / off`).join(" | ")} |`,
  `| --- | --- | ${RTTS.map(() => "---:").join(" | ")} |`,
];
for (const [name, op] of Object.entries(run.operations)) {
  const hops = Object.entries(op.roundTrips).filter(([, n]) => n).map(([k, n]) => `${k} ${n}`).join(", ");
  lines.push(`| ${name} | ${hops} | ${RTTS.map((r) => `${p50At(op, r, true).toFixed(0)} / ${p50At(op, r, false).toFixed(0)}`).join(" | ")} |`);
}
console.log(lines.join("\n"));
writeFileSync(path.join(ROOT, "docs/latency-by-distance.svg"), chart((name, r, replicas) => p50At(run.operations[name], r, replicas)));

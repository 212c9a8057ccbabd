/** Renders benchmark results: a terminal table, Markdown, JSON and an SVG chart. */
import type { Summary } from "./stats";

export interface Row {
  operation: string;
  summary: Summary;
  /** p50 (or throughput, for throughput rows) relative to the floor measured in the same rounds. */
  ratio?: number;
  ratioOf?: "p50" | "throughput";
}

export interface Target {
  name: string;
  measured: number;
  limit: number;
  /** "max": measured must be ≤ limit; "min": measured must be ≥ limit. */
  kind: "max" | "min";
}

export function targetMet(t: Target): boolean {
  return t.kind === "max" ? t.measured <= t.limit : t.measured >= t.limit;
}

const ms = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : "–");
const rate = (v: number) => (Number.isFinite(v) ? v.toFixed(0) : "–");

function cells(r: Row): string[] {
  const ratio = r.ratio === undefined ? "" : `${r.ratio.toFixed(2)}× (${r.ratioOf})`;
  return [r.operation, String(r.summary.count), rate(r.summary.throughput), ms(r.summary.p50), ms(r.summary.p95), ms(r.summary.p99), ratio];
}

const HEADER = ["operation", "count", "req/s", "p50 ms", "p95 ms", "p99 ms", "vs floor"];

export function textTable(rows: Row[]): string {
  const all = [HEADER, ...rows.map(cells)];
  const widths = HEADER.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return all
    .map((r, n) => {
      const line = r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
      return n === 0 ? `${line}\n${widths.map((w) => "-".repeat(w)).join("  ")}` : line;
    })
    .join("\n");
}

export function markdownTable(rows: Row[]): string {
  const lines = [`| ${HEADER.join(" | ")} |`, `| ${HEADER.map((_, i) => (i === 0 ? "---" : "---:")).join(" | ")} |`];
  for (const r of rows) lines.push(`| ${cells(r).join(" | ")} |`);
  return lines.join("\n");
}

export function targetsText(targets: Target[]): string {
  return targets
    .map((t) => `${targetMet(t) ? "met   " : "MISSED"}  ${t.name}: ${t.measured.toFixed(2)} (${t.kind === "max" ? "≤" : "≥"} ${t.limit})`)
    .join("\n");
}

export function targetsMarkdown(targets: Target[]): string {
  const lines = ["| target | measured | limit | |", "| --- | ---: | ---: | --- |"];
  for (const t of targets) {
    lines.push(`| ${t.name} | ${t.measured.toFixed(2)} | ${t.kind === "max" ? "≤" : "≥"} ${t.limit} | ${targetMet(t) ? "met" : "**missed**"} |`);
  }
  return lines.join("\n");
}

export interface ChartPoint {
  groupSize: number;
  p50: number;
  p95: number;
  p99: number;
}

/** The concurrent case: single-member PATCHes of one group at a concurrency, while it grew to groupSize members. */
export interface ConcurrentPoint extends ChartPoint {
  concurrency: number;
}

/** 1, 2, 5, 10, 20, 50, … : round values for a log axis. */
function roundValues(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)) - 1; 10 ** e <= hi * 10; e++) {
    for (const m of [1, 2, 5]) out.push(m * 10 ** e);
  }
  return out;
}

/**
 * Log-scale axis for values in [lo, hi]: it starts at the largest round value (1–2–5) not above `lo` and
 * ends at `hi`, the data's maximum, so no empty decade follows the data; ticks are the round values in it.
 */
export function logAxis(lo: number, hi: number): { min: number; max: number; ticks: number[] } {
  const round = roundValues(lo, hi);
  const min = Math.max(...round.filter((v) => v <= lo));
  return { min, max: hi, ticks: round.filter((v) => v >= min && v <= hi) };
}

/**
 * Linear axis from 0 to `hi`, the data's maximum: ticks every 1, 2 or 5 × 10^n, about `target` of them.
 */
export function linearAxis(hi: number, target = 5): { max: number; ticks: number[] } {
  const raw = hi / target;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((v) => v >= raw)!;
  return { max: hi, ticks: Array.from({ length: Math.floor(hi / step + 1e-9) + 1 }, (_, i) => i * step) };
}

/**
 * Single-member PATCH latency against group size (both axes log scale): p50, p95 and p99 of PATCHes sent
 * one at a time to groups of each size, and the concurrent case (one group, `concurrency` PATCHes at once)
 * as square markers at the size its group grew to. The axes end at the data; ticks are round values.
 */
export function latencyChartSvg(points: ChartPoint[], title: string, concurrent?: ConcurrentPoint): string {
  const width = 720;
  const height = 400;
  const pad = { left: 64, right: 250, top: 48, bottom: 56 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const all = concurrent ? [...points, concurrent] : points;
  const sizes = all.map((p) => p.groupSize);
  const values = all.flatMap((p) => [p.p50, p.p95, p.p99]);
  const xLo = Math.min(...sizes);
  const xHi = Math.max(...sizes);
  const yAxis = logAxis(Math.min(...values), Math.max(...values));
  const x = (size: number) => pad.left + ((Math.log10(size) - Math.log10(xLo)) / Math.max(1e-9, Math.log10(xHi) - Math.log10(xLo))) * plotW;
  const y = (v: number) => pad.top + plotH - ((Math.log10(v) - Math.log10(yAxis.min)) / (Math.log10(yAxis.max) - Math.log10(yAxis.min))) * plotH;
  const f = (v: number) => v.toFixed(1);
  // x ticks: the powers of ten between the ends, and the ends themselves (the data's smallest and largest group).
  // A power of ten too close to an end for both labels to fit gives way to the end.
  const xTicks = [...new Set([xLo, ...Array.from({ length: 8 }, (_, i) => 10 ** i).filter((v) => v > xLo && v < xHi && x(v) - x(xLo) > 48 && x(xHi) - x(v) > 48), xHi])];
  const series = [
    { key: "p50" as const, colour: "#1b9e77", dash: "" },
    { key: "p95" as const, colour: "#d95f02", dash: ' stroke-dasharray="6 4"' },
    { key: "p99" as const, colour: "#7570b3", dash: ' stroke-dasharray="2 3"' },
  ];
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${pad.left + plotW / 2}" y="24" text-anchor="middle" font-size="15">${title}</text>`,
    ...yAxis.ticks.map(
      (v) =>
        `<line x1="${pad.left}" x2="${pad.left + plotW}" y1="${f(y(v))}" y2="${f(y(v))}" stroke="#e5e5e5"/><text x="${pad.left - 8}" y="${f(y(v) + 4)}" text-anchor="end">${v.toLocaleString("en-US")}</text>`,
    ),
    ...xTicks.map(
      (v) =>
        `<line x1="${f(x(v))}" x2="${f(x(v))}" y1="${pad.top}" y2="${pad.top + plotH}" stroke="#f0f0f0"/><text x="${f(x(v))}" y="${height - pad.bottom + 20}" text-anchor="middle">${v.toLocaleString("en-US")}</text>`,
    ),
    `<rect x="${pad.left}" y="${pad.top}" width="${plotW}" height="${plotH}" fill="none" stroke="#999"/>`,
    `<text x="${pad.left + plotW / 2}" y="${height - 12}" text-anchor="middle">members in the group (log scale)</text>`,
    `<text x="16" y="${pad.top + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${pad.top + plotH / 2})">latency, ms (log scale)</text>`,
  ];
  for (const s of series) {
    const d = points.map((p, i) => `${i ? "L" : "M"}${f(x(p.groupSize))},${f(y(p[s.key]))}`).join(" ");
    parts.push(`<path d="${d}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dash}/>`);
    parts.push(...points.map((p) => `<circle cx="${f(x(p.groupSize))}" cy="${f(y(p[s.key]))}" r="3.5" fill="${s.colour}"/>`));
    if (concurrent) {
      const cx = x(concurrent.groupSize);
      const cy = y(concurrent[s.key]);
      parts.push(`<rect x="${f(cx - 5)}" y="${f(cy - 5)}" width="10" height="10" fill="#fff" stroke="${s.colour}" stroke-width="2"/>`);
    }
  }
  // Legend, right of the plot.
  const lx = pad.left + plotW + 16;
  let ly = pad.top + 8;
  parts.push(`<text x="${lx}" y="${ly + 4}" font-weight="bold">one PATCH at a time</text>`);
  for (const s of series) {
    ly += 20;
    parts.push(`<line x1="${lx}" x2="${lx + 24}" y1="${ly}" y2="${ly}" stroke="${s.colour}" stroke-width="2"${s.dash}/><circle cx="${lx + 12}" cy="${ly}" r="3.5" fill="${s.colour}"/><text x="${lx + 32}" y="${ly + 4}">${s.key}</text>`);
  }
  if (concurrent) {
    ly += 32;
    parts.push(`<text x="${lx}" y="${ly + 4}" font-weight="bold">${concurrent.concurrency} at once, one group</text>`);
    ly += 16;
    parts.push(`<text x="${lx}" y="${ly + 4}">(growing to ${concurrent.groupSize.toLocaleString("en-US")} members)</text>`);
    for (const s of series) {
      ly += 20;
      parts.push(`<rect x="${lx + 7}" y="${ly - 5}" width="10" height="10" fill="#fff" stroke="${s.colour}" stroke-width="2"/><text x="${lx + 32}" y="${ly + 4}">${s.key} ${concurrent[s.key].toFixed(0)} ms</text>`);
    }
  }
  parts.push(`</svg>`);
  return parts.join("\n");
}

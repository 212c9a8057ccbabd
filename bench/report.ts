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
}

/** Single-member PATCH latency against group size, log-scale x axis. */
export function latencyChartSvg(points: ChartPoint[], title: string): string {
  const width = 640;
  const height = 360;
  const pad = { left: 64, right: 24, top: 48, bottom: 56 };
  const plotW = width - pad.left - pad.right;
  const plotH = height - pad.top - pad.bottom;
  const xs = points.map((p) => Math.log10(p.groupSize));
  const xMin = Math.floor(Math.min(...xs));
  const xMax = Math.ceil(Math.max(...xs));
  const yMax = Math.max(1, ...points.map((p) => p.p95)) * 1.15;
  const x = (size: number) => pad.left + ((Math.log10(size) - xMin) / Math.max(1, xMax - xMin)) * plotW;
  const y = (v: number) => pad.top + plotH - (v / yMax) * plotH;
  const line = (key: "p50" | "p95") => points.map((p, i) => `${i ? "L" : "M"}${x(p.groupSize).toFixed(1)},${y(p[key]).toFixed(1)}`).join(" ");
  const xTicks = Array.from({ length: xMax - xMin + 1 }, (_, i) => 10 ** (xMin + i));
  const yTicks = Array.from({ length: 5 }, (_, i) => (yMax / 4) * i);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="${width / 2}" y="24" text-anchor="middle" font-size="15">${title}</text>`,
    ...yTicks.map(
      (v) =>
        `<line x1="${pad.left}" x2="${width - pad.right}" y1="${y(v)}" y2="${y(v)}" stroke="#e5e5e5"/><text x="${pad.left - 8}" y="${y(v) + 4}" text-anchor="end">${v.toFixed(1)}</text>`,
    ),
    ...xTicks.map(
      (v) => `<text x="${x(v)}" y="${height - pad.bottom + 20}" text-anchor="middle">${v.toLocaleString("en-US")}</text>`,
    ),
    `<text x="${width / 2}" y="${height - 12}" text-anchor="middle">members in the group (log scale)</text>`,
    `<text x="16" y="${height / 2}" text-anchor="middle" transform="rotate(-90 16 ${height / 2})">latency (ms)</text>`,
    `<path d="${line("p95")}" fill="none" stroke="#d95f02" stroke-width="2" stroke-dasharray="6 4"/>`,
    `<path d="${line("p50")}" fill="none" stroke="#1b9e77" stroke-width="2.5"/>`,
    ...points.map((p) => `<circle cx="${x(p.groupSize)}" cy="${y(p.p50)}" r="4" fill="#1b9e77"/><circle cx="${x(p.groupSize)}" cy="${y(p.p95)}" r="3" fill="#d95f02"/>`),
    `<rect x="${width - pad.right - 120}" y="${pad.top}" width="112" height="44" fill="#fff" stroke="#ccc"/>`,
    `<line x1="${width - pad.right - 112}" x2="${width - pad.right - 88}" y1="${pad.top + 15}" y2="${pad.top + 15}" stroke="#1b9e77" stroke-width="2.5"/><text x="${width - pad.right - 82}" y="${pad.top + 19}">p50</text>`,
    `<line x1="${width - pad.right - 112}" x2="${width - pad.right - 88}" y1="${pad.top + 33}" y2="${pad.top + 33}" stroke="#d95f02" stroke-width="2" stroke-dasharray="6 4"/><text x="${width - pad.right - 82}" y="${pad.top + 37}">p95</text>`,
    `</svg>`,
  ];
  return parts.join("\n");
}

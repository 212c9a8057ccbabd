/** Latency samples and their summary. */
export interface Summary {
  count: number;
  /** Requests per second over the wall time the samples were taken in. */
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export class Samples {
  readonly latencies: number[] = [];
  /** Wall-clock milliseconds spent in the rounds that produced the samples. */
  wallMs = 0;

  add(ms: number) {
    this.latencies.push(ms);
  }

  summary(): Summary {
    const sorted = [...this.latencies].sort((a, b) => a - b);
    const sum = sorted.reduce((a, b) => a + b, 0);
    return {
      count: sorted.length,
      throughput: this.wallMs > 0 ? (sorted.length * 1000) / this.wallMs : NaN,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      mean: sorted.length ? sum / sorted.length : NaN,
    };
  }
}

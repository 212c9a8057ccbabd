/** Progress: a bar on a terminal, a plain line per 10 % otherwise (CI logs, pipes). */
import { SingleBar, Presets } from "cli-progress";

export interface Progress {
  start(label: string, total: number): void;
  tick(n?: number): void;
  stop(): void;
}

export function createProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (stream.isTTY) {
    const bar = new SingleBar({ format: "{label} [{bar}] {value}/{total} {eta_formatted}", stream, hideCursor: true }, Presets.shades_classic);
    return {
      start: (label, total) => bar.start(total, 0, { label: label.padEnd(40) }),
      tick: (n = 1) => bar.increment(n),
      stop: () => bar.stop(),
    };
  }
  let label = "";
  let total = 0;
  let done = 0;
  let lastDecile = -1;
  return {
    start(l, t) {
      label = l;
      total = t;
      done = 0;
      lastDecile = -1;
      stream.write(`${label}: 0/${total}\n`);
    },
    tick(n = 1) {
      done += n;
      const decile = Math.floor((done / Math.max(1, total)) * 10);
      if (decile > lastDecile && decile < 10) {
        lastDecile = decile;
        if (decile > 0) stream.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {
      stream.write(`${label}: ${done}/${total} done\n`);
    },
  };
}

/**
 * The retry schedule of webhook deliveries: WEBHOOK_RETRY_DELAYS (wrangler.toml) lists the delay in
 * seconds before each retry, so an event is attempted 1 + (number of delays) times. The default
 * backs off from 30 s to a day, about 2.9 days in all; tests set short ones.
 */
export const DEFAULT_RETRY_DELAYS = [30, 120, 600, 1800, 7200, 21600, 43200, 86400, 86400];

/** The schedule in seconds; a malformed value falls back to the default (and says so). */
export function retryDelays(value: string | undefined): number[] {
  const text = value?.trim();
  if (!text) return DEFAULT_RETRY_DELAYS;
  const delays = text.split(",").map((part) => Number(part.trim()));
  if (delays.every((d) => Number.isFinite(d) && d >= 0)) return delays;
  console.error(`WEBHOOK_RETRY_DELAYS ${JSON.stringify(value)} is not a list of seconds; using the default schedule`);
  return DEFAULT_RETRY_DELAYS;
}

/**
 * After failed attempt number `attempts` (1-based): when to try again, or null when that was the
 * last attempt (the delivery is then dead-lettered).
 */
export function nextAttemptAt(delays: number[], attempts: number, now: number): number | null {
  const delay = delays[attempts - 1];
  return delay === undefined ? null : now + delay * 1000;
}

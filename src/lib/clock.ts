/**
 * The service's notion of "now", in epoch milliseconds.
 *
 * Everything time-dependent (token expiry, lastUsedAt throttling, setup-link lifetime, log retention)
 * reads the clock from here so that tests can move time forward instead of sleeping.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

export function isoTime(ms: number): string {
  return new Date(ms).toISOString();
}

export function isoTimeOrNull(ms: number | null | undefined): string | null {
  return ms == null ? null : isoTime(ms);
}

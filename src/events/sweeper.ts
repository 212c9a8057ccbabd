/**
 * The sweeper (every-minute Cron Trigger, wrangler.toml): pokes every endpoint whose cursor is behind
 * its org's event stream, or that has a delivery due, found in one D1 query. The hand-off after each
 * write is only the fast path: a Worker that died between the commit and the hand-off, a lost poke
 * or a lost alarm delays an event by at most a minute, never loses it.
 */
import { endpointsNeedingWork } from "../db/webhooks";
import type { Env } from "../env";
import { pokeEndpoints } from "./webhooks";

/** Its schedule in wrangler.toml `[triggers] crons` (src/index.ts dispatches on it; only handlers may be exported there). */
export const SWEEPER_CRON = "* * * * *";

export async function sweepWebhooks(env: Env, now: number): Promise<number> {
  const ids = await endpointsNeedingWork(env.DB, now);
  // Each poke runs its endpoint's delivery to the end; they do not wait for one another.
  await pokeEndpoints(env, ids, null);
  return ids.length;
}

/**
 * Admin API: operator-level counters (e.g. SCIM requests with unknown tokens, which belong to no org),
 * and what needs the operator's attention across organizations: SCIM tokens expiring within 14 days,
 * counted (`scim.tokens_expiring_soon`, computed when read) and listed soonest first.
 */
import { Hono } from "hono";
import { EXPIRING_SOON_MS } from "../../auth/scim-tokens";
import { listCounters } from "../../db/counters";
import { expiringTokenCounts, expiringTokens } from "../../db/tokens";
import { isoTime, isoTimeOrNull } from "../../lib/clock";
import type { AppEnv } from "../context";

export const EXPIRING_TOKENS_COUNTER = "scim.tokens_expiring_soon";
const MAX_LISTED = 200;

export const counterRoutes = new Hono<AppEnv>().get("/", async (c) => {
  const now = c.var.clock();
  const [stored, counts, soonest] = await Promise.all([
    listCounters(c.var.db),
    expiringTokenCounts(c.var.db, now, EXPIRING_SOON_MS),
    expiringTokens(c.var.db, now, EXPIRING_SOON_MS, MAX_LISTED),
  ]);
  const expiring = [...counts.values()].reduce((a, b) => a + b, 0);
  return c.json({
    counters: [
      ...stored.map((r) => ({ name: r.name, value: r.value, updatedAt: isoTime(r.updatedAt) })),
      { name: EXPIRING_TOKENS_COUNTER, value: expiring, updatedAt: isoTime(now) },
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
    tokensExpiringSoon: soonest.map((t) => ({ ...t, expiresAt: isoTimeOrNull(t.expiresAt) })),
  });
});

import type { Context } from "hono";

/**
 * Runs work after the response (ctx.waitUntil). Background work must never fail a request, so its
 * rejection is swallowed here; callers log what they care about.
 */
export function afterResponse(c: Context, work: Promise<unknown>): void {
  const guarded = work.catch((err) => console.error("background task failed:", err));
  try {
    c.executionCtx.waitUntil(guarded);
  } catch {
    // No ExecutionContext (e.g. app.request() in a unit test): let it run unattached.
  }
}

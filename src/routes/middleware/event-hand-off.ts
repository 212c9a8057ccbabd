/**
 * The hand-off from a committed write to its org's webhook deliveries (src/events/webhooks.ts
 * handOff): after the response, the org's endpoint objects are poked so that the write's events go
 * out now. One place for every SCIM write (any non-GET answered 2xx, Bulk included); the setup routes
 * call `handOffAfterResponse` themselves. A write whose hand-off is lost (the isolate died) is the
 * sweeper's within a minute: nothing here is needed for correctness, only for latency.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { handOff } from "../../events/webhooks";
import type { AppEnv } from "../context";
import { publicOriginOrNull } from "../origin";
import { afterResponse } from "../wait-until";

export function handOffAfterResponse(c: Context<AppEnv>, orgId: string): void {
  afterResponse(c, handOff(c.env, orgId, publicOriginOrNull(c)));
}

/** For the SCIM resource routes, after scimAuth (which sets the org). */
export const eventHandOff = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.method === "GET" || c.req.method === "HEAD") return;
  if (c.res.status < 200 || c.res.status >= 300 || !c.var.orgId) return;
  handOffAfterResponse(c, c.var.orgId);
});

/**
 * Refuses, before the handler runs, a request whose answer would carry links but whose host cannot
 * stand for the service (no PUBLIC_ORIGIN and not a loopback host; see ../origin.ts): 421, nothing
 * written. Every SCIM answer with a resource carries links, so the SCIM router checks up front.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";
import { publicOrigin } from "../origin";

export const requirePublicOrigin = createMiddleware<AppEnv>(async (c, next) => {
  publicOrigin(c);
  await next();
});

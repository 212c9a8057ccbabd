/** The request-side half of src/setup/hooks.ts: what a route hands the setup hooks. */
import type { Context } from "hono";
import type { SetupHookRuntime } from "../setup/hooks";
import { setupWebhook } from "../setup/webhook";
import type { AppEnv } from "./context";
import { setupLinkOrigin } from "./origin";
import { afterResponse } from "./wait-until";

export function setupHookRuntime(c: Context<AppEnv>): SetupHookRuntime {
  const webhook = setupWebhook(c.env);
  return {
    db: c.var.db,
    webhook,
    now: c.var.clock(),
    // Only asked for when a link may be sent: without PUBLIC_ORIGIN it warns, and no link is minted.
    origin: webhook ? setupLinkOrigin(c) : null,
    afterResponse: (work) => afterResponse(c, work),
  };
}

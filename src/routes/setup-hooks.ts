/** The request-side half of src/setup/hooks.ts: what a route hands the setup hooks. */
import type { Context } from "hono";
import type { SetupHookRuntime } from "../setup/hooks";
import { setupWebhook } from "../setup/webhook";
import type { AppEnv } from "./context";
import { publicOrigin } from "./origin";
import { afterResponse } from "./wait-until";

export function setupHookRuntime(c: Context<AppEnv>): SetupHookRuntime {
  return {
    db: c.var.db,
    webhook: setupWebhook(c.env),
    now: c.var.clock(),
    origin: publicOrigin(c),
    afterResponse: (work) => afterResponse(c, work),
  };
}

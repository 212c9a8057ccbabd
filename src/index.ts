/** Worker entry: the fetch and scheduled handlers and the Durable Object classes the runtime instantiates. */
import { createApp } from "./app";
import { database } from "./db/client";
import type { Env } from "./env";
import { sweepWebhooks } from "./events/sweeper";
import { runMaintenance } from "./scheduled";

export { OrgWriter } from "./org-writer/writer";
export { WebhookDelivery } from "./events/delivery";

const app = createApp();

/** The every-minute schedule of wrangler.toml `[triggers]`: the webhook sweeper. Any other is the hourly maintenance. */
export const SWEEPER_CRON = "* * * * *";

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    if (controller.cron === SWEEPER_CRON) ctx.waitUntil(sweepWebhooks(env, controller.scheduledTime));
    else ctx.waitUntil(runMaintenance(database(env.DB), controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;

/** Worker entry: the fetch and scheduled handlers and the Durable Object classes the runtime instantiates. */
import { createApp } from "./app";
import { database } from "./db/client";
import type { Env } from "./env";
import { SWEEPER_CRON, sweepWebhooks } from "./events/sweeper";
import { runMaintenance } from "./scheduled";

export { OrgWriter } from "./org-writer/writer";
export { ProvisioningLog } from "./provisioning-log/durable-object";
export { WebhookDelivery } from "./events/delivery";

const app = createApp();

export default {
  fetch: app.fetch,
  // The every-minute schedule of wrangler.toml `[triggers]` runs the webhook sweeper; any other, the hourly maintenance.
  scheduled(controller, env, ctx) {
    if (controller.cron === SWEEPER_CRON) ctx.waitUntil(sweepWebhooks(env, controller.scheduledTime));
    else ctx.waitUntil(runMaintenance(database(env.DB), controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;

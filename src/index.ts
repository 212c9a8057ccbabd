/** Worker entry: the fetch and scheduled handlers and the Durable Object classes the runtime instantiates. */
import { createApp } from "./app";
import { database } from "./db/client";
import type { Env } from "./env";
import { runMaintenance } from "./scheduled";

export { OrgWriter } from "./org-writer/writer";
export { ProvisioningLog } from "./provisioning-log/durable-object";

const app = createApp();

export default {
  fetch: app.fetch,
  scheduled(controller, env, ctx) {
    ctx.waitUntil(runMaintenance(database(env.DB), controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;

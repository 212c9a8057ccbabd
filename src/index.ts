/** Worker entry: the fetch handler and the Durable Object classes the runtime instantiates. */
import { createApp } from "./app";
import type { Env } from "./env";

export { OrgWriter } from "./org-writer/writer";

const app = createApp();

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;

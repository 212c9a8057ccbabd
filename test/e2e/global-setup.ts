/** One `wrangler dev` for every end-to-end test file; each test creates its own organization. */
import type { TestProject } from "vitest/node";
import { ensureChromium } from "./support/browser";
import { startDevServer, type DevServer } from "./support/dev-server";

let server: DevServer | undefined;

export async function setup(project: TestProject) {
  ensureChromium();
  server = await startDevServer();
  project.provide("baseUrl", server.baseUrl);
  project.provide("adminToken", server.adminToken);
}

export async function teardown() {
  await server?.stop();
}

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    adminToken: string;
  }
}

/**
 * The benchmark's Worker (bench/wrangler.toml; `npm run bench` runs it under `wrangler dev`): the
 * product app exactly as src/index.ts builds it, plus the floor routes under /bench-floor. It is never
 * deployed, and nothing here is reachable from the product's entry (scripts/check-bundle.mjs checks
 * the product bundle for it).
 */
import { createApp, type AppOptions } from "../src/app";
import product from "../src/index";
import { benchFloorRoutes } from "./floor";

export { OrgWriter } from "../src/index";

/** The product app with the floor mounted; `options` are the product's injection points (src/app.ts). */
export function createBenchApp(options: AppOptions = {}) {
  const app = createApp(options);
  app.route("/bench-floor", benchFloorRoutes);
  return app;
}

const app = createBenchApp();

export default {
  ...product,
  fetch: app.fetch,
} satisfies typeof product;

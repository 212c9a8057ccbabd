/**
 * The benchmark's Worker (bench/wrangler.toml; `npm run bench` runs it under `wrangler dev`): the
 * product app exactly as src/index.ts builds it, plus the floor routes under /bench-floor and a
 * switch for the OrgWriter's group commit. It is never deployed, and nothing here is reachable from
 * the product's entry (scripts/check-bundle.mjs checks the product bundle for it).
 */
import { Hono } from "hono";
import { createApp, type AppOptions } from "../src/app";
import type { Env } from "../src/env";
import product from "../src/index";
import { orgWriter } from "../src/org-writer/client";
import { MAX_WRITES_PER_BATCH, OrgWriter as ProductOrgWriter } from "../src/org-writer/writer";
import type { AppEnv } from "../src/routes/context";
import { identifyScimCaller, scimAuth } from "../src/routes/middleware/scim-caller";
import { benchFloorRoutes } from "./floor";

const GROUP_COMMIT_KEY = "bench:groupCommit";

/**
 * The product's OrgWriter with group commit switchable per organization, so that one bench run
 * measures the same writes with it on and off (bench/wrangler.toml binds this class as OrgWriter).
 * The setting is kept in the object's storage, so that it survives the object being evicted.
 */
export class OrgWriter extends ProductOrgWriter {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => {
      if ((await ctx.storage.get(GROUP_COMMIT_KEY)) === false) this.maxWritesPerBatch = 1;
    });
  }

  async setGroupCommit(on: boolean): Promise<boolean> {
    this.maxWritesPerBatch = on ? MAX_WRITES_PER_BATCH : 1;
    await this.ctx.storage.put(GROUP_COMMIT_KEY, on);
    return on;
  }
}

/** POST /bench-floor/writer/group-commit {"on": false}: the token's organization's writer commits one write per batch. */
const writerSwitch = new Hono<AppEnv>().use(identifyScimCaller, scimAuth).post("/group-commit", async (c) => {
  const { on } = await c.req.json<{ on: boolean }>();
  const stub = orgWriter(c.env, c.var.orgId) as unknown as DurableObjectStub<OrgWriter>;
  return c.json({ groupCommit: await stub.setGroupCommit(on === true) });
});

/** The product app with the floor mounted; `options` are the product's injection points (src/app.ts). */
export function createBenchApp(options: AppOptions = {}) {
  const app = createApp(options);
  app.route("/bench-floor/writer", writerSwitch);
  app.route("/bench-floor", benchFloorRoutes);
  return app;
}

const app = createBenchApp();

export default {
  ...product,
  fetch: app.fetch,
} satisfies typeof product;

/** Builds the Hono app: one router per surface, one onError, one notFound. */
import { Hono } from "hono";
import { getPath } from "hono/utils/url";
import { systemClock, type Clock } from "./lib/clock";
import { apiRoutes } from "./routes/api";
import { consoleRoutes } from "./routes/console";
import type { AppEnv } from "./routes/context";
import { defaultBookmarkStore, requestContext, type BookmarkStore } from "./routes/middleware/request-context";
import { isScimPath, renderError, renderNotFound } from "./routes/errors";
import { scimRoutes } from "./routes/scim";
import { CONSOLE_ROOT } from "./ui/paths";
import { setupPageRoutes } from "./routes/setup-page";
import { outboundFetch } from "./routes/middleware/outbound-fetch";
import { ssoRoutes } from "./routes/sso";

export interface AppOptions {
  /** Injected by tests to move time without sleeping. */
  clock?: Clock;
  /**
   * Wraps the D1 binding before the app builds its db from it; production passes none. The seam for
   * the bench (bench/worker.ts) and tests to stand something between the product and D1 (added
   * latency, a simulated read replica, statement counting) without the product knowing. It reaches
   * what request handlers run through `c.var.db`, not the OrgWriter Durable Object, which builds its
   * own from its env.
   */
  wrapD1?: (db: D1Database) => D1Database;
  /** Answers the service's calls to identity providers (single sign-on); tests serve fake providers here. */
  fetch?: typeof fetch;
  /**
   * Where organizations' latest D1 bookmarks are kept (read replication, `D1_READ_REPLICATION = "on"`);
   * the Cache API of the location by default. Tests pass one that always misses.
   */
  bookmarks?: BookmarkStore;
  /**
   * Whether an org's direct user writes store their directory events (the outbox). The product
   * always does; the benchmark switches it off per org to measure what events cost.
   */
  events?: (orgId: string) => boolean;
}

/**
 * Identity providers are configured with hand-typed base URLs: a doubled or trailing slash anywhere
 * under /scim/v2 must not change which endpoint answers.
 */
export function routingPath(request: Request): string {
  const path = getPath(request);
  if (!path.startsWith("/scim/") && !path.startsWith("//")) return path;
  const collapsed = path.replace(/\/{2,}/g, "/");
  if (!isScimPath(collapsed)) return path;
  return collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed;
}

export function createApp(options: AppOptions = {}) {
  const clock = options.clock ?? systemClock;
  const app = new Hono<AppEnv>({ getPath: routingPath });
  app.use(requestContext(clock, options.wrapD1, options.bookmarks ?? defaultBookmarkStore()));
  app.use(outboundFetch(options.fetch));
  const { events } = options;
  if (events) app.use((c, next) => (c.set("eventsFor", events), next()));
  app.route("/scim/v2", scimRoutes);
  app.route("/api/v1", apiRoutes);
  app.route(CONSOLE_ROOT, consoleRoutes);
  app.route("/setup", setupPageRoutes);
  app.route("/sso", ssoRoutes);
  app.onError(renderError);
  app.notFound(renderNotFound);
  return app;
}

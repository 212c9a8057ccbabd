/** The fetch the service calls identity providers with (single sign-on): the runtime's, or a test's fake. */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../context";

export function outboundFetch(injected?: typeof fetch) {
  const f: typeof fetch = injected ?? ((input, init) => fetch(input, init));
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("outboundFetch", f);
    await next();
  });
}

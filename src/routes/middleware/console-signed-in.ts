/** Console pages after sign-in need a live session; without one the browser is sent to sign in and back. */
import { createMiddleware } from "hono/factory";
import { csrfTokenFor } from "../../auth/console-sessions";
import { consolePaths } from "../../ui/paths";
import { currentConsoleSession } from "../console-session";
import type { AppEnv } from "../context";

export const requireSignedIn = createMiddleware<AppEnv>(async (c, next) => {
  const session = await currentConsoleSession(c);
  if (!session) {
    const url = new URL(c.req.url);
    return c.redirect(`${consolePaths.signIn}?next=${encodeURIComponent(url.pathname + url.search)}`, 303);
  }
  c.set("consoleSession", { csrfToken: await csrfTokenFor(session.id) });
  await next();
});

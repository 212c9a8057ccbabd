/**
 * GET /setup and its two assets. Opening the page never touches a setup link: mail scanners fetch
 * links too, and the token is in the fragment, which never reaches the server anyway.
 */
import { Hono } from "hono";
import { SETUP_ASSETS } from "../ui/assets";
import { SetupPage } from "../ui/setup/page";
import type { AppEnv } from "./context";
import { securePages, SETUP_CSP } from "./middleware/security-headers";
import { renderPage, serveAsset } from "./render";

export const setupPageRoutes = new Hono<AppEnv>()
  .use(securePages(SETUP_CSP))
  .get("/", (c) => renderPage(c, <SetupPage appName={c.env.APP_NAME ?? ""} />))
  // Like the page itself, its files are never kept by a cache (securePages: no-store).
  .get("/:name{setup\\.(js|css)|favicon\\.svg}", (c) => serveAsset(c, SETUP_ASSETS, c.req.param("name"), null));

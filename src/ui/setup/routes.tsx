/**
 * GET /setup and its two assets. Opening the page never touches a setup link: mail scanners fetch
 * links too, and the token is in the fragment, which never reaches the server anyway.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../routes/context";
import { renderPage } from "../render";
import { securePages, SETUP_CSP } from "../security-headers";
import { SetupPage } from "./page";
import { SETUP_SCRIPT } from "./script";
import { SETUP_STYLES } from "./styles";

export const setupPageRoutes = new Hono<AppEnv>()
  .use(securePages(SETUP_CSP))
  .get("/", (c) => renderPage(c, <SetupPage />))
  .get("/setup.js", (c) => c.body(SETUP_SCRIPT, 200, { "Content-Type": "text/javascript; charset=utf-8" }))
  .get("/setup.css", (c) => c.body(SETUP_STYLES, 200, { "Content-Type": "text/css; charset=utf-8" }));

/**
 * The pages' static files, served by the Worker (no CDN, no inline script): the console's under
 * /admin/assets/, the setup page's under /setup/. Scripts are plain browser JavaScript in ./client,
 * bundled as text (wrangler.toml [[rules]]) and type-checked against the DOM by ./client/tsconfig.json.
 */
import auditScript from "./client/audit.client.js";
import consoleScript from "./client/console.client.js";
import directoryGroupScript from "./client/directory-group.client.js";
import directoryGroupsScript from "./client/directory-groups.client.js";
import directoryUsersScript from "./client/directory-users.client.js";
import directoryScript from "./client/directory.client.js";
import eventsScript from "./client/events.client.js";
import orgsScript from "./client/orgs.client.js";
import provisioningLogScript from "./client/provisioning-log.client.js";
import scimConfigurationScript from "./client/scim-configuration.client.js";
import setupScript from "./client/setup.client.js";
import signInScript from "./client/sign-in.client.js";
import singleSignOnScript from "./client/single-sign-on.client.js";
import webhooksScript from "./client/webhooks.client.js";
import { FAVICON_SVG } from "./favicon";
import { SETUP_STYLES } from "./setup/styles";
import { CONSOLE_CSS } from "./styles";
import { CONSOLE_EXTRA_CSS } from "./styles-extra";

export interface Asset {
  body: string;
  contentType: string;
}

const JS = "text/javascript; charset=utf-8";
const CSS = "text/css; charset=utf-8";
const FAVICON: Asset = { body: FAVICON_SVG, contentType: "image/svg+xml" };

export const CONSOLE_ASSETS: Record<string, Asset> = {
  "console.css": { body: CONSOLE_CSS + CONSOLE_EXTRA_CSS, contentType: CSS },
  "console.js": { body: consoleScript, contentType: JS },
  "sign-in.js": { body: signInScript, contentType: JS },
  "orgs.js": { body: orgsScript, contentType: JS },
  "scim-configuration.js": { body: scimConfigurationScript, contentType: JS },
  "single-sign-on.js": { body: singleSignOnScript, contentType: JS },
  "provisioning-log.js": { body: provisioningLogScript, contentType: JS },
  "directory.js": { body: directoryScript, contentType: JS },
  "directory-users.js": { body: directoryUsersScript, contentType: JS },
  "directory-groups.js": { body: directoryGroupsScript, contentType: JS },
  "directory-group.js": { body: directoryGroupScript, contentType: JS },
  "audit.js": { body: auditScript, contentType: JS },
  "events.js": { body: eventsScript, contentType: JS },
  "webhooks.js": { body: webhooksScript, contentType: JS },
  "favicon.svg": FAVICON,
};

export const SETUP_ASSETS: Record<string, Asset> = {
  "setup.js": { body: setupScript, contentType: JS },
  "setup.css": { body: SETUP_STYLES, contentType: CSS },
  "favicon.svg": FAVICON,
};

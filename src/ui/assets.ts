/**
 * The console's static files, served by the Worker under /admin/assets/ (no CDN, no inline script).
 * Scripts are plain browser JavaScript in ./client, bundled as text (wrangler.toml [[rules]]) and
 * type-checked against the DOM by ./client/tsconfig.json.
 */
import consoleScript from "./client/console.client.js";
import directoryGroupScript from "./client/directory-group.client.js";
import directoryGroupsScript from "./client/directory-groups.client.js";
import directoryUsersScript from "./client/directory-users.client.js";
import directoryScript from "./client/directory.client.js";
import orgsScript from "./client/orgs.client.js";
import provisioningLogScript from "./client/provisioning-log.client.js";
import scimConfigurationScript from "./client/scim-configuration.client.js";
import signInScript from "./client/sign-in.client.js";
import { CONSOLE_CSS } from "./styles";

const JS = "text/javascript; charset=utf-8";

export const ASSETS: Record<string, { body: string; contentType: string }> = {
  "console.css": { body: CONSOLE_CSS, contentType: "text/css; charset=utf-8" },
  "console.js": { body: consoleScript, contentType: JS },
  "sign-in.js": { body: signInScript, contentType: JS },
  "orgs.js": { body: orgsScript, contentType: JS },
  "scim-configuration.js": { body: scimConfigurationScript, contentType: JS },
  "provisioning-log.js": { body: provisioningLogScript, contentType: JS },
  "directory.js": { body: directoryScript, contentType: JS },
  "directory-users.js": { body: directoryUsersScript, contentType: JS },
  "directory-groups.js": { body: directoryGroupsScript, contentType: JS },
  "directory-group.js": { body: directoryGroupScript, contentType: JS },
};

/** The SCIM 2.0 service under /scim/v2. */
import { Hono } from "hono";
import { ScimError } from "../../scim/errors";
import type { AppEnv } from "../context";
import { provisioningLog } from "../middleware/provisioning-log";
import { identifyScimCaller, scimAuth } from "../middleware/scim-caller";
import { scimMediaType } from "../middleware/scim-media";
import { bulkRoutes } from "./bulk";
import { discoveryRoutes } from "./discovery";
import { groupRoutes } from "./groups";
import { userRoutes } from "./users";

const notImplemented = (what: string) => () => {
  throw new ScimError(501, `${what} is not implemented by this service`);
};

export const scimRoutes = new Hono<AppEnv>()
  // Outermost, so that it sees the final response of every SCIM request, errors included.
  .use(provisioningLog)
  .use(identifyScimCaller)
  .use(scimMediaType)
  .route("/", discoveryRoutes)
  // Everything registered below needs a valid token of an org with SCIM enabled.
  .use(scimAuth)
  .route("/", userRoutes)
  .route("/", groupRoutes)
  .route("/", bulkRoutes)
  .all("/Me", notImplemented("/Me"))
  .all("/Me/*", notImplemented("/Me"));

/** The SCIM 2.0 service under /scim/v2. */
import { Hono } from "hono";
import { BULK_MAX_PAYLOAD_BYTES } from "../../scim/limits";
import { ScimError } from "../../scim/errors";
import type { AppEnv } from "../context";
import { provisioningLog } from "../middleware/provisioning-log";
import { readReplicas } from "../middleware/read-replicas";
import { identifyScimCaller, scimAuth } from "../middleware/scim-caller";
import { scimBodyLimit, scimMediaType } from "../middleware/scim-media";
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
  // Which D1 session reads go through (replicas, when read replication is on), and the org's bookmark.
  .use(readReplicas)
  .route("/", userRoutes)
  .route("/", groupRoutes)
  .use("/Bulk", scimBodyLimit(BULK_MAX_PAYLOAD_BYTES))
  .all("/Bulk", notImplemented("Bulk"))
  .all("/Me", notImplemented("/Me"))
  .all("/Me/*", notImplemented("/Me"));

/** The SCIM 2.0 service under /scim/v2. */
import { Hono } from "hono";
import { ScimError } from "../../scim/errors";
import type { AppEnv } from "../context";
import { eventHandOff } from "../middleware/event-hand-off";
import { provisioningLog } from "../middleware/provisioning-log";
import { readReplicas } from "../middleware/read-replicas";
import { requirePublicOrigin } from "../middleware/public-origin";
import { scimRateLimit } from "../middleware/rate-limit";
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
  // After the caller is known, so that a refused host shows in the org's provisioning log.
  .use(requirePublicOrigin)
  .route("/", discoveryRoutes)
  // Everything registered below needs a valid token of an org with SCIM enabled.
  .use(scimAuth)
  // Over its budget, an org is refused before any D1 work.
  .use(scimRateLimit)
  // Which D1 session reads go through (replicas, when read replication is on), and the org's bookmark.
  .use(readReplicas)
  // After a write answered 2xx, its org's webhook endpoints are poked (after the response).
  .use(eventHandOff)
  .route("/", userRoutes)
  .route("/", groupRoutes)
  .route("/", bulkRoutes)
  .all("/Me", notImplemented("/Me"))
  .all("/Me/*", notImplemented("/Me"));

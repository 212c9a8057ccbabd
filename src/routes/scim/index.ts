/** The SCIM 2.0 service under /scim/v2. */
import { Hono } from "hono";
import { ScimError } from "../../scim/errors";
import type { AppEnv } from "../context";
import { scimAuth } from "./auth";
import { discoveryRoutes } from "./discovery";
import { scimMediaType } from "./responses";
import { userRoutes } from "./users";

const notImplemented = (what: string) => () => {
  throw new ScimError(501, `${what} is not implemented by this service`);
};

export const scimRoutes = new Hono<AppEnv>()
  .use(scimMediaType)
  .route("/", discoveryRoutes)
  // Everything registered below needs a valid token of an org with SCIM enabled.
  .use(scimAuth)
  .route("/", userRoutes)
  .all("/Bulk", notImplemented("Bulk"))
  .all("/Me", notImplemented("/Me"))
  .all("/Me/*", notImplemented("/Me"));

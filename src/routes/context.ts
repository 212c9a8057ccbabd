/** The Hono environment shared by every route: bindings plus per-request variables. */
import type { TokenResolution } from "../auth/scim-tokens";
import type { Db } from "../db/client";
import type { Env } from "../env";
import type { Clock } from "../lib/clock";

export interface AppVariables {
  clock: Clock;
  db: Db;
  /** Set by the SCIM auth middleware, also when the token is refused (the provisioning log reads it). */
  scimToken?: TokenResolution;
  /** The organization of an accepted SCIM token. */
  orgId: string;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };

/** The Hono environment shared by every route: bindings plus per-request variables. */
import type { TokenResolution } from "../auth/scim-tokens";
import type { Db } from "../db/client";
import type { Env } from "../env";
import type { Clock } from "../lib/clock";
import type { OperationsSummary } from "../provisioning-log/operations";
import type { PageSession } from "../ui/layout";

/** How an admin API request proved it comes from the operator. */
export type OperatorIdentity = { via: "bearer" } | { via: "console"; sessionId: string };

export interface AppVariables {
  clock: Clock;
  db: Db;
  /** fetch for calls to identity providers (single sign-on); tests inject a fake provider here. */
  outboundFetch: typeof fetch;
  /** Set by identifyScimCaller for any bearer token, also one that is then refused (the provisioning log reads it). */
  scimToken?: TokenResolution;
  /** The organization of an accepted SCIM token. */
  orgId: string;
  /** Set by requireOperator on every admin API request it lets through. */
  operator: OperatorIdentity;
  /** Set by a handler whose operations the provisioning log lists from its answer (Bulk). */
  logOperations?: OperationsSummary;
  /** Set on console pages for a signed-in operator. */
  consoleSession?: PageSession;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };

/** The Hono environment shared by every route: bindings plus per-request variables. */
import type { TokenResolution } from "../auth/scim-tokens";
import type { BookmarkStore } from "../db/bookmarks";
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
  /** Set by requestContext when D1 read replication is on: the (wrapped) binding and the bookmark store. */
  replication?: { d1: D1Database; bookmarks: BookmarkStore };
  /** Set by readReplicas on SCIM resource requests: where reads go, and where an absent answer is confirmed. */
  reads?: { db: Db; confirmAbsent?: Db };
  /** The bookmark of the OrgWriter's write of this request, when it returned one. */
  writerBookmark?: string;
  /** The organization of an accepted SCIM token. */
  orgId: string;
  /** That organization's rate-limit level, as its token resolution carried it. */
  rateLimitLevel: string;
  /** SHA-256 of the presented SCIM token (set by identifyScimCaller). */
  scimTokenHash?: string;
  /** A rate-limit refusal still running for this token: answered 429 without a lookup (middleware/rate-limit). */
  rateLimitRefusal?: { until: number; detail: string };
  /** Set by requireOperator on every admin API request it lets through. */
  operator: OperatorIdentity;
  /** Set by a handler whose operations the provisioning log lists from its answer (Bulk). */
  logOperations?: OperationsSummary;
  /** Whether an org's writes store directory events; set only by the benchmark (AppOptions.events), always on otherwise. */
  eventsFor?: (orgId: string) => boolean;
  /** Set on console pages for a signed-in operator. */
  consoleSession?: PageSession;
}

export type AppEnv = { Bindings: Env; Variables: AppVariables };

/**
 * Admin API: the directory of provisioned users and their setup links. Read-only apart from links:
 * the identity provider stays the source of truth for who exists and who is active. Nothing here
 * ever shows key material, link tokens (except in the response that issues one) or sessions.
 */
import { handOffAfterResponse } from "../middleware/event-hand-off";
import { scimBaseUrl } from "../origin";
import { Hono } from "hono";
import { z } from "zod";
import type { Db } from "../../db/client";
import { groupsOfUsers, type UserGroups } from "../../db/user-groups";
import { countDirectoryUsers, directoryPage, findDirectoryUser, type DirectoryUser } from "../../db/user-directory";
import { isoTime } from "../../lib/clock";
import { fold } from "../../scim/text";
import { sendToSetupWebhook } from "../../setup/hooks";
import { issueSetupLink } from "../../setup/links";
import { resetSetup } from "../../setup/reset";
import type { AppEnv } from "../context";
import { requireSetupLinkOrigin } from "../origin";
import { setupHookRuntime } from "../setup-hooks";
import { audited } from "../audit";
import { ApiError } from "./errors";
import { requireOrg } from "../middleware/require-org";
import { cursorAfter, emptyAsAbsent, pageParams, searchParam, toPage, totalParam } from "./paging";
import { validate } from "./validate";

/** Groups shown with each user (by name); `groupCount` says how many there are in all. */
export const GROUPS_PER_USER = 10;

export function userJson(u: DirectoryUser, groups: UserGroups) {
  return {
    id: u.id,
    userName: u.userName,
    displayName: u.displayName,
    active: u.active,
    setupState: u.setupState,
    createdAt: isoTime(u.createdAt),
    groups: groups.groups.map((g) => ({ id: g.groupId, displayName: g.displayName })),
    groupCount: groups.total,
  };
}

/** Users with their groups: one statement for the groups of all of them, never one per user. */
async function withGroups(db: Db, orgId: string, users: DirectoryUser[]) {
  const groups = await groupsOfUsers(db, orgId, users.map((u) => u.id), GROUPS_PER_USER);
  return users.map((u) => userJson(u, groups.get(u.id)!));
}

const listQuery = z.object({
  q: searchParam,
  state: z.preprocess(emptyAsAbsent, z.enum(["active", "deactivated", "pending"]).optional()),
  total: totalParam,
  ...pageParams,
});

/** `?unlessLive=1`: issue only when no earlier link still works (the console asks before replacing one). */
const issueQuery = z.object({ unlessLive: z.preprocess(emptyAsAbsent, z.enum(["0", "1"]).optional()) });

export const userRoutes = new Hono<AppEnv>()
  .use(requireOrg)
  .get("/", validate("query", listQuery), async (c) => {
    const orgId = c.req.param("orgId")!;
    const { q, state, cursor, limit, total } = c.req.valid("query");
    const after = cursorAfter(cursor);
    const prefix = q ? fold(q) : undefined;
    const rows = await directoryPage(c.var.db, orgId, { prefix, state, after, limit });
    const { page, nextCursor } = toPage(rows, limit, (u) => u.userNameNorm);
    const users = await withGroups(c.var.db, orgId, page);
    if (total !== "1") return c.json({ users, nextCursor });
    return c.json({ users, nextCursor, total: q ? null : await countDirectoryUsers(c.var.db, orgId, state) });
  })
  .get("/:userId", async (c) => {
    const orgId = c.req.param("orgId")!;
    const user = await findDirectoryUser(c.var.db, orgId, c.req.param("userId"));
    if (!user) throw ApiError.notFound("User");
    const [json] = await withGroups(c.var.db, orgId, [user]);
    return c.json(json);
  })
  .post("/:userId/setup-link", validate("query", issueQuery), async (c) => {
    const origin = requireSetupLinkOrigin(c); // before anything is minted
    const issued = await issueSetupLink(c.var.db, c.req.param("orgId")!, c.req.param("userId"), c.var.clock(), origin, {
      unlessLive: c.req.valid("query").unlessLive === "1",
    });
    if (!issued.ok) {
      switch (issued.refusal) {
        case "live_link":
          throw new ApiError(
            409,
            "live_link_exists",
            `An earlier setup link still works until ${isoTime(issued.expiresAt)}; a new link makes it stop working`,
          );
        case "not_found":
          throw ApiError.notFound("User");
        case "deactivated":
          throw new ApiError(403, "user_deactivated", "The user is deactivated; reactivate them in the identity provider first");
        case "complete":
          throw new ApiError(409, "setup_complete", "The user has already completed setup");
      }
    }
    await audited(c, {
      action: "setup_link.issued",
      orgId: c.req.param("orgId"),
      target: { type: "user", id: c.req.param("userId") },
      detail: { expiresAt: isoTime(issued.expiresAt) },
    });
    sendToSetupWebhook(setupHookRuntime(c), issued.webhookPayload);
    c.header("Cache-Control", "no-store");
    return c.json({ url: issued.url, expiresAt: isoTime(issued.expiresAt) }, 201);
  })
  /**
   * Resets a completed setup: the key bundle and the person's sessions are deleted and they are
   * pending again (a change to the security model; see docs/security.md), so it is always recorded in the
   * audit trail. (Once directory events exist, it is also emitted as `user.setup_reset`.)
   */
  .post("/:userId/setup/reset", async (c) => {
    const reset = await resetSetup(c.var.db, c.req.param("orgId")!, c.req.param("userId"), c.var.clock(), scimBaseUrl(c));
    if (!reset.ok) {
      if (reset.refusal === "not_found") throw ApiError.notFound("User");
      throw new ApiError(409, "setup_not_complete", "The user has not completed setup; there is nothing to reset");
    }
    await audited(c, { action: "setup.reset", orgId: c.req.param("orgId"), target: { type: "user", id: c.req.param("userId") } });
    handOffAfterResponse(c, c.req.param("orgId")!);
    const user = await findDirectoryUser(c.var.db, c.req.param("orgId")!, c.req.param("userId"));
    if (!user) throw ApiError.notFound("User");
    const [json] = await withGroups(c.var.db, c.req.param("orgId")!, [user]);
    return c.json(json);
  });

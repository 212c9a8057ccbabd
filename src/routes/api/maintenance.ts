/**
 * Admin API: the operator's view of one-off data maintenance. Today: the recomputation of userName
 * keys after migration 0005 (src/db/user-name-keys.ts) and its report of users that kept a
 * distinguishing key because their recomputed key was taken.
 */
import { Hono } from "hono";
import { listUserNameCollisions, pendingUserNameKeys, rekeyPendingUserNames, type UserNameCollision } from "../../db/user-name-keys";
import { isoTime } from "../../lib/clock";
import { audited } from "../audit";
import type { AppEnv } from "../context";

function collisionJson(c: UserNameCollision) {
  return {
    orgId: c.orgId,
    userId: c.userId,
    userName: c.userName,
    userNameKey: c.userNameKey,
    heldByUserId: c.heldByUserId,
    foundAt: isoTime(c.foundAt),
  };
}

export const maintenanceRoutes = new Hono<AppEnv>()
  .get("/user-name-keys", async (c) => {
    const [pending, collisions] = await Promise.all([pendingUserNameKeys(c.var.db), listUserNameCollisions(c.var.db)]);
    return c.json({ pending, collisions: collisions.map(collisionJson) });
  })
  // One chunk per call; call again while `pending` is above 0 (the hourly Cron Trigger also works through it).
  .post("/user-name-keys", async (c) => {
    const result = await rekeyPendingUserNames(c.var.db, c.var.clock());
    await audited(c, {
      action: "user_name_keys.recomputed",
      target: { type: "service", id: "user-name-keys" },
      detail: { rekeyed: result.rekeyed, collisions: result.collisions.length, pending: result.pending },
    });
    return c.json({ rekeyed: result.rekeyed, pending: result.pending, collisions: result.collisions.map(collisionJson) });
  });

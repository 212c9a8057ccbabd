/**
 * Admin API: the directory of provisioned users and their setup links. Read-only apart from links:
 * the identity provider stays the source of truth for who exists and who is active. Nothing here
 * ever shows key material, link tokens (except in the response that issues one) or sessions.
 */
import { Hono } from "hono";
import { z } from "zod";
import { directoryPage, findDirectoryUser, type DirectoryUser } from "../../db/user-directory";
import { isoTime } from "../../lib/clock";
import { base64url, fromBase64url } from "../../lib/crypto";
import { fold } from "../../scim/text";
import { sendToSetupWebhook } from "../../setup/hooks";
import { issueSetupLink } from "../../setup/links";
import type { AppEnv } from "../context";
import { publicOrigin } from "../origin";
import { ApiError } from "./errors";
import { requireOrg } from "./org-scope";
import { validate } from "./validate";

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export function userJson(u: DirectoryUser) {
  return {
    id: u.id,
    userName: u.userName,
    displayName: u.displayName,
    active: u.active,
    setupState: u.setupState,
    createdAt: isoTime(u.createdAt),
  };
}

/** The cursor is the last userName of a page (case-folded), opaque to clients. */
function encodeCursor(afterUserNameNorm: string): string {
  return base64url(new TextEncoder().encode(JSON.stringify({ after: afterUserNameNorm })));
}

function decodeCursor(cursor: string): string | null {
  try {
    const bytes = fromBase64url(cursor);
    const parsed = bytes && (JSON.parse(new TextDecoder().decode(bytes)) as { after?: unknown });
    return typeof parsed?.after === "string" ? parsed.after : null;
  } catch {
    return null;
  }
}

/** `?state=` and `?q=` left empty by a form mean "no filter". */
const emptyAsAbsent = (value: unknown) => (value === "" ? undefined : value);

const listQuery = z.object({
  q: z.preprocess(emptyAsAbsent, z.string().trim().max(200).optional()),
  state: z.preprocess(emptyAsAbsent, z.enum(["active", "deactivated", "pending"]).optional()),
  cursor: z.preprocess(emptyAsAbsent, z.string().max(2000).optional()),
  limit: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

export const userRoutes = new Hono<AppEnv>()
  .use(requireOrg)
  .get("/", validate("query", listQuery), async (c) => {
    const orgId = c.req.param("orgId")!;
    const { q, state, cursor, limit } = c.req.valid("query");
    let after: string | undefined;
    if (cursor !== undefined) {
      after = decodeCursor(cursor) ?? undefined;
      if (after === undefined) throw ApiError.badRequest("cursor: not a cursor this API returned", "cursor");
    }
    const prefix = q ? fold(q) : undefined;
    const rows = await directoryPage(c.var.db, orgId, { prefix, state, after, limit });
    const page = rows.slice(0, limit);
    const nextCursor = rows.length > limit ? encodeCursor(page[page.length - 1].userNameNorm) : null;
    return c.json({ users: page.map(userJson), nextCursor });
  })
  .get("/:userId", async (c) => {
    const user = await findDirectoryUser(c.var.db, c.req.param("orgId")!, c.req.param("userId"));
    if (!user) throw ApiError.notFound("User");
    return c.json(userJson(user));
  })
  .post("/:userId/setup-link", async (c) => {
    const issued = await issueSetupLink(
      c.var.db,
      c.req.param("orgId")!,
      c.req.param("userId"),
      c.var.clock(),
      publicOrigin(c),
    );
    if (!issued.ok) {
      switch (issued.refusal) {
        case "not_found":
          throw ApiError.notFound("User");
        case "deactivated":
          throw new ApiError(403, "user_deactivated", "The user is deactivated; reactivate them in the identity provider first");
        case "complete":
          throw new ApiError(409, "setup_complete", "The user has already completed setup");
      }
    }
    sendToSetupWebhook(c, issued.webhookPayload);
    c.header("Cache-Control", "no-store");
    return c.json({ url: issued.url, expiresAt: isoTime(issued.expiresAt) }, 201);
  });

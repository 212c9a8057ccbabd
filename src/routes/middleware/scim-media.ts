/** The SCIM endpoints' wire conventions that apply to every response or body: media type and size limits. */
import { bodyLimit } from "hono/body-limit";
import { createMiddleware } from "hono/factory";
import { ScimError } from "../../scim/errors";
import type { AppEnv } from "../context";

export const SCIM_CONTENT_TYPE = "application/scim+json";

/** Every SCIM response with a body, whoever produced it (handlers, onError, notFound), is SCIM JSON. */
export const scimMediaType = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.res.body !== null && c.res.status !== 204 && c.res.status !== 304) {
    c.res.headers.set("Content-Type", SCIM_CONTENT_TYPE);
  }
});

/**
 * A body that fails while it is read — its client disconnected mid-body, or sent less than its
 * Content-Length — is the client's error, never a 500.
 */
export function unreadableBody(): ScimError {
  return ScimError.invalidSyntax("The request body could not be read: the client stopped sending it before its end");
}

export function scimBodyLimit(maxSize: number) {
  const limit = bodyLimit({
    maxSize,
    onError: () => {
      throw new ScimError(413, `The request body exceeds the limit of ${maxSize} bytes for this endpoint`);
    },
  });
  // Without a Content-Length the limit reads the whole body itself: a read that fails is the client's.
  return createMiddleware<AppEnv>(async (c, next) => {
    let bodyRead = false;
    try {
      await limit(c, async () => {
        bodyRead = true;
        await next();
      });
    } catch (error) {
      if (bodyRead || error instanceof ScimError) throw error;
      throw unreadableBody();
    }
  });
}

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

export function scimBodyLimit(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: () => {
      throw new ScimError(413, `The request body exceeds the limit of ${maxSize} bytes for this endpoint`);
    },
  });
}

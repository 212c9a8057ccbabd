/** Response conventions of the SCIM endpoints: media type, body limits, 405s. */
import type { Context } from "hono";
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

/** A handler for a known path hit with a method it does not support. */
export function methodNotAllowed(allowed: string[]) {
  return (c: Context) => {
    // On the error itself: onError builds a fresh response, so a header set on `c` would be lost.
    throw new ScimError(405, `${c.req.method} is not supported on this endpoint; use ${allowed.join(" or ")}`, undefined, {
      Allow: allowed.join(", "),
    });
  };
}

export function scimJson(c: Context, body: unknown, status: 200 | 201 = 200, headers: Record<string, string> = {}) {
  return c.body(JSON.stringify(body), status, { ...headers, "Content-Type": SCIM_CONTENT_TYPE });
}

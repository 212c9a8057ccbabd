/** Response conventions of the SCIM endpoints: SCIM JSON bodies and 405s. */
import type { Context } from "hono";
import { ScimError } from "../../scim/errors";
import { SCIM_CONTENT_TYPE } from "../middleware/scim-media";

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

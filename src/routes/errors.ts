/**
 * The app's one error renderer: SCIM errors as SCIM bodies, console pages as HTML pages, admin API
 * errors as JSON; nothing leaks.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ScimError } from "../scim/errors";
import { ApiError } from "./api/errors";
import { ErrorPage } from "../ui/pages/error";
import { isConsolePath } from "../ui/paths";
import { SCIM_CONTENT_TYPE } from "./middleware/scim-media";
import { PublicOriginRequired } from "./origin";
import { renderPage } from "./render";
import type { AppEnv } from "./context";

export function isScimPath(path: string): boolean {
  return path === "/scim/v2" || path.startsWith("/scim/v2/");
}

function scimErrorResponse(err: ScimError): Response {
  return new Response(JSON.stringify(err.toBody()), {
    status: err.status,
    headers: { ...err.headers, "Content-Type": SCIM_CONTENT_TYPE },
  });
}

function apiErrorResponse(err: ApiError): Response {
  return Response.json(err.toBody(), { status: err.status });
}

export function renderError(err: Error, c: Context<AppEnv>): Response | Promise<Response> {
  const scim = isScimPath(c.req.path);
  if (err instanceof PublicOriginRequired) {
    if (isConsolePath(c.req.path)) return renderPage(c, ErrorPage({ title: "PUBLIC_ORIGIN is not set", message: err.message }), err.status);
    if (scim) return scimErrorResponse(new ScimError(err.status, err.message));
    return apiErrorResponse(new ApiError(err.status, "public_origin_required", err.message));
  }
  if (isConsolePath(c.req.path)) {
    console.error("console page failed:", err);
    const page = ErrorPage({ title: "Something went wrong", message: "The page could not be shown. Try again in a moment." });
    return renderPage(c, page, 500);
  }
  if (err instanceof ScimError) {
    return scim ? scimErrorResponse(err) : apiErrorResponse(new ApiError(err.status as 400, "error", err.detail));
  }
  if (err instanceof ApiError) return apiErrorResponse(err);
  if (err instanceof HTTPException) {
    // Raised by Hono itself (e.g. a malformed JSON body in a validator).
    const status = err.status;
    const message = err.message || "Bad request";
    if (scim) return scimErrorResponse(new ScimError(status, message, status === 400 ? "invalidSyntax" : undefined));
    return apiErrorResponse(new ApiError(status as 400, status === 400 ? "invalid_request" : "error", message));
  }
  console.error("unhandled error:", err);
  if (scim) return scimErrorResponse(new ScimError(500, "Internal server error"));
  return apiErrorResponse(new ApiError(500, "internal", "Internal server error"));
}

export function renderNotFound(c: Context<AppEnv>): Response | Promise<Response> {
  if (isConsolePath(c.req.path)) {
    const page = ErrorPage({ title: "Page not found", message: `There is no console page at ${c.req.path}.`, session: c.var.consoleSession });
    return renderPage(c, page, 404);
  }
  if (isScimPath(c.req.path)) {
    return scimErrorResponse(ScimError.notFound(`No SCIM endpoint at ${c.req.path}`));
  }
  return apiErrorResponse(new ApiError(404, "not_found", `No route for ${c.req.method} ${c.req.path}`));
}

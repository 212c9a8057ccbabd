/** How pages and their static files become responses. */
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { Asset } from "../ui/assets";

/** A server-rendered page as a complete HTML document (hono/jsx renders no doctype of its own). */
export async function renderPage(c: Context, page: { toString(): string | Promise<string> }, status: ContentfulStatusCode = 200) {
  return c.html(`<!doctype html>${await page.toString()}`, status);
}

/**
 * One of a page's static files by name, or 404. By default revalidated on every use, so that a
 * deploy never pairs a new page with an old script; with `cacheControl: null` the router's own
 * policy (securePages: no-store) applies.
 */
export function serveAsset(c: Context, assets: Record<string, Asset>, name: string, cacheControl: string | null = "no-cache") {
  if (!Object.hasOwn(assets, name)) return c.notFound();
  const asset = assets[name];
  const headers: Record<string, string> = { "Content-Type": asset.contentType };
  if (cacheControl) headers["Cache-Control"] = cacheControl;
  return c.body(asset.body, 200, headers);
}

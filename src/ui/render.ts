import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** A server-rendered page as a complete HTML document (hono/jsx renders no doctype of its own). */
export async function renderPage(c: Context, page: { toString(): string | Promise<string> }, status: ContentfulStatusCode = 200) {
  return c.html(`<!doctype html>${await page.toString()}`, status);
}

/**
 * Response headers of the setup page and its assets, in one place so that they can be swapped for the
 * service-wide security-headers helper: scripts and styles only from this origin (no inline code),
 * never framed, no Referer (the page's URL holds a setup token in its fragment), never cached.
 */
export function setupSecurityHeaders(): Record<string, string> {
  return {
    "Content-Security-Policy": "default-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
  };
}

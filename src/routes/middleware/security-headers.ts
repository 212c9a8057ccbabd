/**
 * Security headers for every HTML page the Worker serves (the console now, /setup next), in one place.
 *
 * Pages never run inline script: their scripts are files served by the Worker from its own origin, so
 * `script-src 'self'` suffices and no nonce is needed. A page that must inline something can add a
 * per-response nonce to its own directives; nothing here forbids it.
 */
import { createMiddleware } from "hono/factory";

export type CspDirectives = Record<string, string[]>;

/** Added to every page's policy unless the page overrides them: no framing, no <base>, forms stay home. */
const BASELINE: CspDirectives = {
  "base-uri": ["'none'"],
  "form-action": ["'self'"],
  "frame-ancestors": ["'none'"],
};

/**
 * The first-login page: everything from this origin (the issue's `default-src 'self'`), and no form
 * may submit anywhere, since its passphrase fields must never leave the page.
 */
export const SETUP_CSP: CspDirectives = {
  "default-src": ["'self'"],
  "form-action": ["'none'"],
};

/** The console: everything from this origin only, and nothing else at all. */
export const CONSOLE_CSP: CspDirectives = {
  "default-src": ["'none'"],
  "script-src": ["'self'"],
  "style-src": ["'self'"],
  "img-src": ["'self'"],
  "connect-src": ["'self'"],
};

export function contentSecurityPolicy(directives: CspDirectives): string {
  return Object.entries({ ...BASELINE, ...directives })
    .map(([name, sources]) => [name, ...sources].join(" "))
    .join("; ");
}

export function pageSecurityHeaders(directives: CspDirectives): Record<string, string> {
  return {
    "Content-Security-Policy": contentSecurityPolicy(directives),
    "Referrer-Policy": "no-referrer",
    "X-Content-Type-Options": "nosniff",
    // For browsers that predate frame-ancestors.
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    // Pages carry a CSRF token or a secret the user is about to copy: no cache may keep them.
    "Cache-Control": "no-store",
  };
}

/**
 * Middleware for a router of pages: sets the headers on whatever response leaves it — pages,
 * redirects, 404s and rendered errors alike. A handler may set its own Cache-Control (static assets).
 */
export function securePages(directives: CspDirectives) {
  const headers = pageSecurityHeaders(directives);
  return createMiddleware(async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(headers)) {
      if (name === "Cache-Control" && c.res.headers.has(name)) continue;
      c.res.headers.set(name, value);
    }
  });
}

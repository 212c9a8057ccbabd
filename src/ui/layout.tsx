/**
 * The console's page frame: head (styles, scripts, CSRF token), top bar, optional sidebar, main.
 * Pages are server-rendered; their scripts are files under /admin/assets (see ./assets.ts), loaded
 * deferred and in order, so that the shared console.js is there before a page's own script.
 */
import type { Child } from "hono/jsx";
import { HeadBasics } from "./components";
import { consolePaths } from "./paths";

/** What a page knows about the signed-in operator's session. */
export interface PageSession {
  csrfToken: string;
}

export interface PageProps {
  title: string;
  session?: PageSession;
  /** Page scripts (asset names) to load after console.js. */
  scripts?: string[];
  /** Values the page's script reads from `document.body.dataset`. */
  data?: Record<string, string>;
  sidebar?: Child;
  children?: Child;
}

function dataAttributes(data: Record<string, string> = {}) {
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [`data-${k.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`)}`, v]));
}

export function Page({ title, session, scripts = [], data, sidebar, children }: PageProps) {
  return (
    <html lang="en">
      <head>
        <HeadBasics />
        {session ? <meta name="csrf-token" content={session.csrfToken} /> : null}
        <title>{`${title} · edge-scim console`}</title>
        <link rel="icon" href={consolePaths.asset("favicon.svg")} type="image/svg+xml" />
        <link rel="stylesheet" href={consolePaths.asset("console.css")} />
        <script defer src={consolePaths.asset("console.js")}></script>
        {scripts.map((name) => (
          <script defer src={consolePaths.asset(name)}></script>
        ))}
      </head>
      <body {...dataAttributes(data)}>
        <a class="skip-link" href="#main">
          Skip to main content
        </a>
        <header class="topbar">
          <a class="brand" href={consolePaths.home}>
            edge-scim <span class="brand-sub">console</span>
          </a>
          {session ? (
            <>
              <nav aria-label="Console">
                <a href={consolePaths.home}>Organizations</a>
                <a href={consolePaths.audit}>Audit trail</a>
              </nav>
              <button type="button" id="sign-out">
                Sign out
              </button>
            </>
          ) : null}
        </header>
        <div class={sidebar ? "layout" : "layout single"}>
          {sidebar}
          <main id="main" tabindex={-1}>
            {children}
          </main>
        </div>
        <div id="announcer" class="visually-hidden" role="status" aria-live="polite"></div>
      </body>
    </html>
  );
}

/**
 * The first-login page a provisioned person opens from their setup link. Everything that involves the
 * passphrase or the private key happens in the page's script (setup.js), in the browser; the server
 * renders static markup and never sees the token, the passphrase or the private key in the clear.
 *
 * Inputs have no `name`, so even a form submitted without the script would send nothing anywhere
 * (and the CSP's form-action 'none' forbids the submission itself).
 */
import { HeadBasics } from "../components";

/** `appName`: the application people set up their account for (APP_NAME), or empty. */
export function SetupPage({ appName = "" }: { appName?: string }) {
  const app = appName.trim();
  return (
    <html lang="en">
      <head>
        <HeadBasics />
        <title>{app ? `Finish your account setup for ${app}` : "Finish your account setup"}</title>
        <link rel="icon" href="/setup/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href="/setup/setup.css" />
        <script src="/setup/setup.js" defer></script>
      </head>
      <body>
        <header class="topbar">
          <span class="brand">{app || "Account setup"}</span>
        </header>
        <main data-app-name={app}>
          <h1>{app ? `Finish your account setup for ${app}` : "Finish your account setup"}</h1>
          {/* Filled in once the link (or the session) says which organization is asking. */}
          <p id="asker" class="asker" hidden>
            <strong id="org-name"></strong> <span id="asker-text"></span>
          </p>
          <noscript>
            <p class="message" data-kind="error">
              This page needs JavaScript: your encryption key is created here, in your browser.
            </p>
          </noscript>

          <p id="session-bar" class="session-bar" hidden>
            <span id="session-user"></span>{" "}
            <button id="sign-out" type="button">
              Sign out
            </button>
          </p>

          <section id="view-loading" data-view="">
            <p>Checking your setup link…</p>
          </section>

          <section id="view-link-problem" data-view="" hidden aria-labelledby="link-problem-title">
            <h2 id="link-problem-title">This setup link does not work</h2>
            <p id="link-problem-message" class="message" data-kind="error" role="alert"></p>
          </section>

          <section id="view-setup" data-view="" hidden aria-labelledby="setup-title">
            <h2 id="setup-title">Choose a passphrase</h2>
            <p>
              Your browser now creates your personal encryption key and locks it with a passphrase you choose.
              The passphrase never leaves this page: the service stores only the locked key, and neither the
              service nor your administrator can unlock it.
            </p>
            <p>
              <strong>Keep your passphrase safe.</strong> If you lose it, nobody can recover what your key
              protects.
            </p>
            <form id="setup-form" novalidate>
              <label for="passphrase">Passphrase (at least 12 characters)</label>
              <input id="passphrase" type="password" autocomplete="new-password" minlength={12} required />
              <label for="passphrase-confirm">Repeat the passphrase</label>
              <input id="passphrase-confirm" type="password" autocomplete="new-password" required />
              <button id="setup-submit" type="submit">
                Create my key
              </button>
            </form>
            <p id="setup-message" class="message" role="status" aria-live="polite"></p>
          </section>

          <section id="view-unlock" data-view="" hidden aria-labelledby="unlock-title">
            <div id="done" class="done" hidden tabindex={-1}>
              <h2 id="done-title">Setup is complete</h2>
              <p id="done-intro"></p>
              <h3>What happens next</h3>
              <ul>
                <li id="done-use"></li>
                <li>You can close this page. Your setup link no longer works; to come back here, sign in through your organization.</li>
                <li>
                  Forgot your passphrase later? Ask your administrator to reset your setup: you will then choose a new
                  passphrase, and what the old key protected cannot be recovered.
                </li>
              </ul>
            </div>
            <h2 id="unlock-title">Unlock your key</h2>
            <p id="unlock-intro"></p>
            <p>Enter your passphrase to check that it unlocks your key. It is used only in this page.</p>
            <form id="unlock-form" novalidate>
              <label for="unlock-passphrase">Passphrase</label>
              <input id="unlock-passphrase" type="password" autocomplete="current-password" required />
              <button id="unlock-submit" type="submit">
                Unlock
              </button>
            </form>
            <p id="unlock-message" class="message" role="status" aria-live="polite"></p>
          </section>

          <section id="view-signed-out" data-view="" hidden aria-labelledby="signed-out-title">
            <h2 id="signed-out-title">You are signed out</h2>
            <p>Your session has ended. To open your key again, sign in through your organization.</p>
          </section>

          <section id="view-no-link" data-view="" hidden aria-labelledby="no-link-title">
            <h2 id="no-link-title">Open your setup link</h2>
            <p id="no-link-message" class="message"></p>
          </section>
        </main>
      </body>
    </html>
  );
}

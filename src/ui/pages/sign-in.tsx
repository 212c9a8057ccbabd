import { Notice } from "../components";
import { Page } from "../layout";

/** Signing in exchanges the operator token for a console session; the token itself is not kept. */
export function SignInPage({ next }: { next: string }) {
  return (
    <Page title="Sign in" scripts={["sign-in.js"]} data={{ next }}>
      <h1>Sign in to the console</h1>
      <form id="sign-in-form" class="card narrow" novalidate>
        <div class="field">
          <label for="operator-token">Operator token</label>
          <input
            type="password"
            id="operator-token"
            name="token"
            required
            autocomplete="current-password"
            aria-describedby="operator-token-hint"
          />
          <p class="hint" id="operator-token-hint">
            The ADMIN_TOKEN secret of this deployment. It is exchanged for a 12-hour session and not stored in the
            browser.
          </p>
        </div>
        <Notice id="sign-in-error" kind="error" />
        <button type="submit" class="primary">
          Sign in
        </button>
      </form>
    </Page>
  );
}

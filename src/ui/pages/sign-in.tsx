import { FormSubmit, TextField } from "../components";
import { Page } from "../layout";

/** Signing in exchanges the operator token for a console session; the token itself is not kept. */
export function SignInPage({ next }: { next: string }) {
  return (
    <Page title="Sign in" scripts={["sign-in.js"]} data={{ next }}>
      <h1>Sign in to the console</h1>
      <form id="sign-in-form" class="card narrow" novalidate>
        <TextField
          id="operator-token"
          type="password"
          label="Operator token"
          name="token"
          required
          autocomplete="current-password"
          hint="The ADMIN_TOKEN secret of this deployment. It is exchanged for a 12-hour session and not stored in the browser."
        />
        <FormSubmit errorId="sign-in-error" label="Sign in" />
      </form>
    </Page>
  );
}

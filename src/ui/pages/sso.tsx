/**
 * The pages a person sees on the way through single sign-on, when it does not simply send them on:
 * a refusal (they are not, or no longer, in the directory), a failed sign-in, and the hand-over to an
 * identity provider that only accepts POST. Standalone pages in the setup page's style: the person is
 * not an operator, so there is no console frame.
 */
import type { Child } from "hono/jsx";
import { HeadBasics } from "../components";

function Frame({ title, children }: { title: string; children?: Child }) {
  return (
    <html lang="en">
      <head>
        <HeadBasics />
        <title>{title}</title>
        <link rel="stylesheet" href="/setup/setup.css" />
      </head>
      <body>
        <main>{children}</main>
      </body>
    </html>
  );
}

export interface SsoMessage {
  title: string;
  message: string;
  /** A short code for the person to quote to their administrator. */
  reference?: string;
  retryHref?: string;
}

export function SsoMessagePage({ title, message, reference, retryHref }: SsoMessage) {
  return (
    <Frame title={title}>
      <h1 id="sso-title">{title}</h1>
      <p id="sso-message" class="message" data-kind="error" role="alert">
        {message}
      </p>
      {reference ? (
        <p>
          Reference for your administrator: <code id="sso-reference">{reference}</code>
        </p>
      ) : null}
      {retryHref ? (
        <p>
          <a href={retryHref}>Try signing in again</a>
        </p>
      ) : null}
    </Frame>
  );
}

/** SP-initiated SAML to an IdP that offers only HTTP-POST: one button, since the CSP allows no inline script. */
export function SsoPostPage({ action, fields }: { action: string; fields: Record<string, string> }) {
  return (
    <Frame title="Continue to sign in">
      <h1>Continue to sign in</h1>
      <form method="post" action={action}>
        {Object.entries(fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} />
        ))}
        <button type="submit">Continue to your identity provider</button>
      </form>
    </Frame>
  );
}

/**
 * Where the rest of the service tells account setup that something happened: the SCIM Users resource
 * calls onUserProvisioned after a create, the admin API calls sendToSetupWebhook after issuing a link.
 * Both do their work after the response and never fail the request.
 */
import type { Context } from "hono";
import type { AppEnv } from "../routes/context";
import { publicOrigin } from "../routes/origin";
import { afterResponse } from "../routes/wait-until";
import { issueSetupLink } from "./links";
import { postSetupWebhook, setupWebhook, type SetupWebhookPayload } from "./webhook";

/** Sends a freshly issued link to the setup webhook after the response, when one is configured. */
export function sendToSetupWebhook(c: Context<AppEnv>, payload: SetupWebhookPayload): void {
  const target = setupWebhook(c.env);
  if (target) afterResponse(c, postSetupWebhook(target, payload));
}

/**
 * To be called by the SCIM Users resource after it created a user. With a setup webhook configured,
 * it issues the user's first setup link and delivers it, all after the response, so the identity
 * provider's request is neither slowed nor failed by it. Without a webhook nothing happens: the
 * user stays pending until an admin issues a link.
 */
export function onUserProvisioned(c: Context<AppEnv>, user: { id: string; orgId: string }): void {
  const target = setupWebhook(c.env);
  if (!target) return;
  const now = c.var.clock();
  const origin = publicOrigin(c);
  afterResponse(
    c,
    (async () => {
      const issued = await issueSetupLink(c.var.db, user.orgId, user.id, now, origin);
      if (issued.ok) await postSetupWebhook(target, issued.webhookPayload);
    })(),
  );
}

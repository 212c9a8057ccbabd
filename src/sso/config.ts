/**
 * The rules of an organization's single sign-on configuration: what an admin may send, what is
 * stored, and what is shown back (never the client secret).
 */
import { z } from "zod";
import type { SsoConfig } from "../db/sso";
import { idpUrlProblem, spUrls } from "./urls";

export type { OidcSettings, SamlSettings, SsoConfig } from "../db/sso";

const idpUrl = z
  .string()
  .max(2048)
  .superRefine((text, ctx) => {
    const problem = idpUrlProblem(text);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** Metadata XML is a few kilobytes; a cap keeps a paste (or a hostile URL) from becoming a parse bomb. */
export const MAX_METADATA_BYTES = 256 * 1024;

const samlInput = z
  .strictObject({
    type: z.literal("saml"),
    metadataUrl: idpUrl.optional(),
    metadataXml: z.string().min(1).max(MAX_METADATA_BYTES).optional(),
  })
  .superRefine((value, ctx) => {
    if ((value.metadataUrl === undefined) === (value.metadataXml === undefined)) {
      ctx.addIssue({ code: "custom", path: ["metadataUrl"], message: "give exactly one of metadataUrl and metadataXml" });
    }
  });

const oidcInput = z.strictObject({
  type: z.literal("oidc"),
  issuer: idpUrl,
  clientId: z.string().min(1).max(512),
  clientSecret: z.string().min(1).max(1024),
});

export const ssoConfigInput = z.discriminatedUnion("type", [samlInput, oidcInput]);
export type SsoConfigInput = z.infer<typeof ssoConfigInput>;

/** The configuration as GET shows it: no secret, plus the values to copy into the identity provider. */
export function configView(origin: string, orgId: string, config: SsoConfig) {
  const urls = spUrls(origin, orgId);
  const common = { orgId, loginUrl: urls.loginUrl, updatedAt: new Date(config.updatedAt).toISOString() };
  if (config.protocol === "saml") {
    const s = config.settings;
    return {
      type: "saml" as const,
      ...common,
      spEntityId: urls.spEntityId,
      acsUrl: urls.acsUrl,
      metadataUrl: urls.metadataUrl,
      idp: {
        metadataUrl: s.metadataUrl,
        entityId: s.idpEntityId,
        ssoUrl: s.ssoUrl,
        certificates: s.signingCerts.length,
      },
    };
  }
  return {
    type: "oidc" as const,
    ...common,
    issuer: config.settings.issuer,
    clientId: config.settings.clientId,
    clientSecretSet: true,
    redirectUri: urls.redirectUri,
  };
}

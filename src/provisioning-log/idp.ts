/**
 * A best-effort label for the identity provider behind a SCIM request. Providers identify themselves
 * inconsistently (JumpCloud and several others send a generic HTTP client's User-Agent), so this only
 * names what is recognisable; otherwise the log falls back to the token's description, which names
 * the provider the admin pasted the token into. The rules are listed for admins in
 * docs/idp-dialects.md ("Recognising the provider"): change both together.
 */
const USER_AGENTS: [RegExp, string][] = [
  [/okta/i, "Okta"],
  [/jumpcloud/i, "JumpCloud"],
  [/onelogin/i, "OneLogin"],
  [/authentik/i, "authentik"],
  [/google/i, "Google"],
  [/microsoft|azure|entra/i, "Microsoft Entra ID"],
];

export function idpLabel(header: (name: string) => string | undefined): string | null {
  // Entra ID's provisioning service sends this header on every request.
  if (header("Adscimversion") !== undefined) return "Microsoft Entra ID";
  const userAgent = header("User-Agent") ?? "";
  for (const [pattern, label] of USER_AGENTS) if (pattern.test(userAgent)) return label;
  return null;
}

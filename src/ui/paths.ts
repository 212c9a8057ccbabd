/** URLs of the console, in one place for links, redirects and navigation. */
export const CONSOLE_ROOT = "/admin";

export const consolePaths = {
  home: CONSOLE_ROOT,
  signIn: `${CONSOLE_ROOT}/sign-in`,
  asset: (name: string) => `${CONSOLE_ROOT}/assets/${name}`,
  org: (orgId: string) => `${CONSOLE_ROOT}/orgs/${encodeURIComponent(orgId)}`,
  scimConfiguration: (orgId: string) => `${consolePaths.org(orgId)}/settings/authentication/scim`,
  singleSignOn: (orgId: string) => `${consolePaths.org(orgId)}/settings/authentication/sso`,
  provisioningLog: (orgId: string) => `${consolePaths.org(orgId)}/provisioning-log`,
  directoryUsers: (orgId: string) => `${consolePaths.org(orgId)}/directory/users`,
  directoryGroups: (orgId: string) => `${consolePaths.org(orgId)}/directory/groups`,
  events: (orgId: string) => `${consolePaths.org(orgId)}/events`,
  webhooks: (orgId: string) => `${consolePaths.org(orgId)}/webhooks`,
  audit: `${CONSOLE_ROOT}/audit`,
  orgAudit: (orgId: string) => `${consolePaths.org(orgId)}/audit`,
  directoryGroup: (orgId: string, groupId: string) => `${consolePaths.directoryGroups(orgId)}/${encodeURIComponent(groupId)}`,
};

export function isConsolePath(path: string): boolean {
  return path === CONSOLE_ROOT || path.startsWith(`${CONSOLE_ROOT}/`);
}

/** Where to go after signing in: a console path only, never another origin. */
export function safeNextPath(next: string | undefined | null): string {
  if (!next || !isConsolePath(next) || /[\\\s]/.test(next) || next.startsWith("//")) return consolePaths.home;
  return next;
}

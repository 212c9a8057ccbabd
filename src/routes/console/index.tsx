/**
 * The admin console at /admin: server-rendered pages whose scripts call the admin API. Pages only
 * read (an org's name and switch state, a group's name and member count, a page of the org's events,
 * to render); every action goes through /api/v1.
 */
import { Hono, type Context } from "hono";
import type { JSX } from "hono/jsx/jsx-runtime";
import { eventsNewestFirst } from "../../db/events";
import { findDirectoryGroup } from "../../db/group-directory";
import { findOrg } from "../../db/orgs";
import { EVENT_TYPES, isEventType, toDirectoryEvent } from "../../events/model";
import { CONSOLE_ASSETS } from "../../ui/assets";
import type { OrgView } from "../../ui/org-page";
import { DirectoryGroupPage, DirectoryGroupsPage } from "../../ui/pages/directory-groups";
import { DirectoryUsersPage, USER_STATES } from "../../ui/pages/directory-users";
import { AuditPage, OrgAuditPage } from "../../ui/pages/audit";
import { ErrorPage } from "../../ui/pages/error";
import { EventsPage } from "../../ui/pages/events";
import { OrgsPage } from "../../ui/pages/orgs";
import { ProvisioningLogPage } from "../../ui/pages/provisioning-log";
import { ScimConfigurationPage } from "../../ui/pages/scim-configuration";
import { SignInPage } from "../../ui/pages/sign-in";
import { SingleSignOnPage } from "../../ui/pages/single-sign-on";
import { WebhooksPage } from "../../ui/pages/webhooks";
import { spUrls } from "../../sso/urls";
import { consolePaths, safeNextPath } from "../../ui/paths";
import { renderPage, serveAsset } from "../render";
import { requireSignedIn } from "../middleware/console-signed-in";
import { CONSOLE_CSP, securePages } from "../middleware/security-headers";
import { currentConsoleSession } from "../console-session";
import type { AppEnv } from "../context";
import { publicOrigin, scimBaseUrlOrNull } from "../origin";

function notFoundPage(c: Context<AppEnv>, title: string, message: string) {
  return renderPage(c, <ErrorPage title={title} message={message} session={c.var.consoleSession} />, 404);
}

async function withOrg(c: Context<AppEnv>, render: (org: OrgView) => JSX.Element | Promise<JSX.Element>) {
  const org = await findOrg(c.var.db, c.req.param("orgId")!);
  if (!org) return notFoundPage(c, "Organization not found", "There is no such organization.");
  return renderPage(c, await render({ id: org.id, name: org.name, scimEnabled: org.scimEnabled }));
}

/** Events shown per page of Organization › Events. */
export const EVENTS_PAGE_SIZE = 50;

/** A page's upper bound from the address bar (`?before=`): a positive sequence, else the newest page. */
function beforeSequence(value: string | undefined): number | undefined {
  return value && /^[1-9][0-9]{0,15}$/.test(value) ? Number(value) : undefined;
}

/** A search box's initial value, as the page's script would send it (the API limits it to 200). */
const searchText = (c: Context<AppEnv>) => (c.req.query("q") ?? "").slice(0, 200);

export const consoleRoutes = new Hono<AppEnv>()
  .use(securePages(CONSOLE_CSP))
  .get("/assets/:name", (c) => serveAsset(c, CONSOLE_ASSETS, c.req.param("name")))
  .get("/sign-in", async (c) => {
    const next = safeNextPath(c.req.query("next"));
    if (await currentConsoleSession(c)) return c.redirect(next, 303);
    return renderPage(c, <SignInPage next={next} />);
  })
  .use(requireSignedIn)
  .get("/", (c) => renderPage(c, <OrgsPage session={c.var.consoleSession!} />))
  .get("/audit", (c) => renderPage(c, <AuditPage session={c.var.consoleSession!} />))
  .get("/orgs/:orgId/audit", (c) => withOrg(c, (org) => <OrgAuditPage session={c.var.consoleSession!} org={org} />))
  .get("/orgs/:orgId", (c) => c.redirect(consolePaths.scimConfiguration(c.req.param("orgId")), 303))
  .get("/orgs/:orgId/settings/authentication/scim", (c) =>
    withOrg(c, (org) => <ScimConfigurationPage session={c.var.consoleSession!} org={org} scimUrl={scimBaseUrlOrNull(c)} />),
  )
  .get("/orgs/:orgId/settings/authentication/sso", (c) =>
    withOrg(c, (org) => <SingleSignOnPage session={c.var.consoleSession!} org={org} urls={spUrls(publicOrigin(c), org.id)} />),
  )
  .get("/orgs/:orgId/provisioning-log", (c) =>
    withOrg(c, (org) => <ProvisioningLogPage session={c.var.consoleSession!} org={org} />),
  )
  .get("/orgs/:orgId/events", (c) => {
    // An unknown type shows every type, as the directory's unknown state does.
    const type = isEventType(c.req.query("type") ?? "") ? c.req.query("type")! : "";
    const before = beforeSequence(c.req.query("before"));
    return withOrg(c, async (org) => {
      const page = await eventsNewestFirst(c.var.db.$client, org.id, { beforeSequence: before, limit: EVENTS_PAGE_SIZE, types: type ? [type] : undefined });
      return (
        <EventsPage
          session={c.var.consoleSession!}
          org={org}
          eventTypes={EVENT_TYPES}
          filter={{ type, before }}
          events={page.events.map(toDirectoryEvent)}
          nextBefore={page.nextBefore}
        />
      );
    });
  })
  .get("/orgs/:orgId/webhooks", (c) =>
    withOrg(c, (org) => <WebhooksPage session={c.var.consoleSession!} org={org} eventTypes={EVENT_TYPES} />),
  )
  .get("/orgs/:orgId/directory/users", (c) => {
    const state = USER_STATES.some((s) => s.value === c.req.query("state")) ? c.req.query("state")! : "";
    return withOrg(c, (org) => <DirectoryUsersPage session={c.var.consoleSession!} org={org} search={{ q: searchText(c), state }} />);
  })
  .get("/orgs/:orgId/directory/groups", (c) =>
    withOrg(c, (org) => <DirectoryGroupsPage session={c.var.consoleSession!} org={org} q={searchText(c)} />),
  )
  .get("/orgs/:orgId/directory/groups/:groupId", async (c) => {
    // Scoped by the org, so another org's group is as unknown as a missing one.
    const group = await findDirectoryGroup(c.var.db, c.req.param("orgId"), c.req.param("groupId"));
    if (!group) return notFoundPage(c, "Group not found", "There is no such group in this organization.");
    return withOrg(c, (org) => <DirectoryGroupPage session={c.var.consoleSession!} org={org} group={group} />);
  });

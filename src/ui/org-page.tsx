/** Pages about one organization: their navigation and frame. */
import type { Child } from "hono/jsx";
import { Breadcrumbs, type Crumb } from "./components";
import { Page, type PageSession } from "./layout";
import { consolePaths } from "./paths";

export interface OrgView {
  id: string;
  name: string;
  scimEnabled: boolean;
}

export type OrgSection = "scim" | "sso" | "users" | "groups" | "log" | "events" | "webhooks" | "audit";

interface NavItem {
  section: OrgSection;
  label: string;
  href: (orgId: string) => string;
}

const ORG_NAV: { heading: string; items: NavItem[] }[] = [
  {
    heading: "Organization Settings",
    items: [
      { section: "sso", label: "Authentication › Single sign-on", href: consolePaths.singleSignOn },
      { section: "scim", label: "Authentication › SCIM Configuration", href: consolePaths.scimConfiguration },
    ],
  },
  {
    heading: "Directory",
    items: [
      { section: "users", label: "Users", href: consolePaths.directoryUsers },
      { section: "groups", label: "Groups", href: consolePaths.directoryGroups },
    ],
  },
  {
    heading: "Provisioning",
    items: [{ section: "log", label: "Provisioning log", href: consolePaths.provisioningLog }],
  },
  {
    heading: "Directory events",
    items: [
      { section: "events", label: "Events", href: consolePaths.events },
      { section: "webhooks", label: "Webhooks", href: consolePaths.webhooks },
    ],
  },
  {
    heading: "Operators",
    items: [{ section: "audit", label: "Audit trail", href: consolePaths.orgAudit }],
  },
];

function OrgSidebar({ org, current }: { org: OrgView; current: OrgSection }) {
  return (
    <nav class="sidenav" aria-label="Organization">
      <p class="sidenav-org">
        <span class="visually-hidden">Organization: </span>
        {org.name}
      </p>
      {/* On a phone console.js folds the groups behind this button (hidden otherwise). */}
      <button type="button" class="nav-toggle" id="org-nav-toggle" aria-expanded="false" aria-controls="org-nav-groups" hidden>
        Menu
      </button>
      <div id="org-nav-groups" class="sidenav-groups">
      {ORG_NAV.map((group) => (
        <div class="sidenav-group">
          <h2>{group.heading}</h2>
          <ul>
            {group.items.map((item) => (
              <li>
                <a href={item.href(org.id)} aria-current={item.section === current ? "page" : undefined}>
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
      </div>
    </nav>
  );
}

export interface OrgPageProps {
  session: PageSession;
  org: OrgView;
  section: OrgSection;
  /** The page's name: its <h1>, the end of its breadcrumbs and the start of its title. */
  heading: string;
  /** Breadcrumbs between the organization and the page, e.g. ["Organization Settings", "Authentication"]. */
  trail?: (string | Crumb)[];
  /** The page's scripts (asset names, loaded in order); they find the org in `document.body.dataset.orgId`. */
  script: string | string[];
  /** More values for the script's `document.body.dataset`. */
  data?: Record<string, string>;
  children?: Child;
}

export function OrgPage({ session, org, section, heading, trail = [], script, data, children }: OrgPageProps) {
  const crumbs = [
    { label: "Organizations", href: consolePaths.home },
    { label: org.name, href: consolePaths.org(org.id) },
    ...trail.map((crumb) => (typeof crumb === "string" ? { label: crumb } : crumb)),
    { label: heading },
  ];
  return (
    <Page
      title={`${heading} · ${org.name}`}
      session={session}
      scripts={[script].flat()}
      data={{ ...data, orgId: org.id }}
      sidebar={<OrgSidebar org={org} current={section} />}
    >
      <Breadcrumbs items={crumbs} />
      <h1>{heading}</h1>
      {children}
    </Page>
  );
}

/** Directory › Groups: the groups the identity provider pushed, their member counts, and one group's members. */
import { DataTable, Pager, Section } from "../components";
import type { PageSession } from "../layout";
import { OrgPage, type OrgView } from "../org-page";
import { consolePaths } from "../paths";
import { DirectorySearch, SourceOfTruthNotice } from "./directory-parts";

export function DirectoryGroupsPage({ session, org, q }: { session: PageSession; org: OrgView; q: string }) {
  return (
    <OrgPage session={session} org={org} section="groups" heading="Groups" trail={["Directory"]} script={["directory.js", "directory-groups.js"]}>
      <SourceOfTruthNotice />
      <Section id="groups-heading" title="Provisioned groups">
        <DirectorySearch id="group-search" label="Groups" fieldId="group-q" hint="Start of a group name; not case-sensitive." q={q} />
        <DataTable id="groups-table" class="directory" labelledBy="groups-heading" columns={["Group", "Members"]} />
        <Pager id="groups-pager" label="Pages of groups" />
      </Section>
    </OrgPage>
  );
}

const count = new Intl.NumberFormat("en-US");

export function memberCountText(n: number): string {
  return `${count.format(n)} ${n === 1 ? "member" : "members"}`;
}

/** What the group page shows of a group (the route reads it). */
export interface GroupView {
  id: string;
  displayName: string;
  memberCount: number;
}

export function DirectoryGroupPage({ session, org, group }: { session: PageSession; org: OrgView; group: GroupView }) {
  return (
    <OrgPage
      session={session}
      org={org}
      section="groups"
      heading={group.displayName}
      trail={["Directory", { label: "Groups", href: consolePaths.directoryGroups(org.id) }]}
      script={["directory.js", "directory-group.js"]}
      data={{ groupId: group.id, memberCount: String(group.memberCount) }}
    >
      <SourceOfTruthNotice />
      <Section id="members-heading" title="Members">
        <p class="lead" id="member-count">
          {memberCountText(group.memberCount)}
        </p>
        <DataTable id="members-table" class="directory" labelledBy="members-heading" columns={["User", "Status", "Setup"]} />
        <Pager id="members-pager" label="Pages of members" />
      </Section>
    </OrgPage>
  );
}

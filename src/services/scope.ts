/** What every directory operation runs against: the token's organization, its database and its writer. */
import type { Db } from "../db/client";
import type { OrgWriter } from "../org-writer/writer";

export interface OrgScope {
  db: Db;
  orgId: string;
  now: () => number;
  /** The organization's OrgWriter, through which group writes, membership writes and user deletion go. */
  writer: () => DurableObjectStub<OrgWriter>;
}

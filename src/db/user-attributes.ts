/** Where each filterable User attribute lives, for the filter and sort compilers (src/scim/sql). */
import type { AttributeMap } from "../scim/sql/attribute-map";

/** The rest is read from data_norm. */
export const USER_ATTRIBUTE_MAP: AttributeMap = {
  rowId: "u.id",
  json: "u.data_norm",
  columns: {
    id: { sql: "u.id", notNull: true },
    username: { sql: "u.user_name_norm", folded: true, notNull: true },
    externalid: { sql: "u.external_id" },
    displayname: { sql: "u.display_name_norm", folded: true },
    "name.givenname": { sql: "u.given_name_norm", folded: true },
    "name.familyname": { sql: "u.family_name_norm", folded: true },
    active: { sql: "u.active", notNull: true },
    "meta.created": { sql: "u.created_at", epochMs: true, notNull: true },
    "meta.lastmodified": { sql: "u.last_modified", epochMs: true, notNull: true },
  },
  children: {
    emails: {
      ownerIds: "SELECT e.user_id FROM user_emails e WHERE e.org_id = ?",
      // Not `primary`: the column cannot tell an absent primary from `false`, and `emails.primary pr`
      // must tell them apart; filters on it read the JSON instead.
      columns: {
        value: { sql: "e.value_norm", folded: true },
        type: { sql: "e.type_norm", folded: true },
      },
      sortValue: (column) =>
        `(SELECT ${column} FROM user_emails e WHERE e.user_id = u.id ORDER BY e."primary" DESC, e.position LIMIT 1)`,
    },
    groups: {
      exclusive: true,
      // Driven from the org's groups: group_members has no org index, and group rows carry the display.
      ownerIds: "SELECT gm.user_id FROM groups g JOIN group_members gm ON gm.group_id = g.id WHERE g.org_id = ?",
      columns: {
        value: { sql: "gm.group_id" },
        display: { sql: "g.display_name_norm", folded: true },
      },
      sortValue: (column) =>
        `(SELECT ${column} FROM group_members gm JOIN groups g ON g.id = gm.group_id WHERE gm.user_id = u.id ORDER BY ${column} LIMIT 1)`,
    },
  },
};

/** Default list order: creation (then id, as always), so that pages are stable while users are added. */
export const DEFAULT_USER_ORDER = "u.created_at";

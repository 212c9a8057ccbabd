/** Where each filterable Group attribute lives, for the filter and sort compilers (src/scim/sql). */
import type { AttributeMap } from "../scim/sql/attribute-map";

/**
 * Where each filterable Group attribute lives. Every stored Group attribute has a column, so the
 * JSON fallback is never read; members live only in membership rows (`exclusive`), their `display`
 * being the member user's displayName, else its userName, as rendered.
 */
export const GROUP_ATTRIBUTE_MAP: AttributeMap = {
  rowId: "g.id",
  json: "g.data",
  columns: {
    id: { sql: "g.id", notNull: true },
    externalid: { sql: "g.external_id" },
    displayname: { sql: "g.display_name_norm", folded: true, notNull: true },
    "meta.created": { sql: "g.created_at", epochMs: true, notNull: true },
    "meta.lastmodified": { sql: "g.last_modified", epochMs: true, notNull: true },
  },
  children: {
    members: {
      exclusive: true,
      // Driven from the org's users: group_members has no org index, and user rows carry the display.
      ownerIds: "SELECT gm.group_id FROM users mu JOIN group_members gm ON gm.user_id = mu.id WHERE mu.org_id = ?",
      columns: {
        value: { sql: "gm.user_id" },
        display: { sql: "COALESCE(mu.display_name_norm, mu.user_name_norm)", folded: true },
      },
      sortValue: (column) =>
        `(SELECT ${column} FROM group_members gm JOIN users mu ON mu.id = gm.user_id WHERE gm.group_id = g.id ORDER BY ${column} LIMIT 1)`,
    },
  },
};

/** Default list order: creation (then id, as always), so that pages are stable while groups are added. */
export const DEFAULT_GROUP_ORDER = "g.created_at";

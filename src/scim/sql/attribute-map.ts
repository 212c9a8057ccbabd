/**
 * How a resource type's attributes are stored, for compiling filters and sorts to SQL. Each resource
 * type (Users, Groups) declares one next to its queries; attributes it does not list are read from
 * the folded JSON view of the stored resource.
 */

export interface ColumnTarget {
  /** SQL expression for the value, over the row's alias (or the child row's alias). */
  sql: string;
  /** The column holds folded text (lower-case + NFC); required for caseExact=false strings. */
  folded?: boolean;
  /** A dateTime held as integer epoch milliseconds. */
  epochMs?: boolean;
  /**
   * The column is never NULL, so a sort on it needs no "absent values last" term and can walk its
   * index (a leading `x IS NULL` term defeats every index).
   */
  notNull?: boolean;
}

/** A multi-valued attribute kept in child rows (one row per value), e.g. emails or group members. */
export interface ChildTarget {
  /**
   * A SELECT of the owning rows' ids whose one `?` is the tenant scope, e.g.
   * `SELECT e.user_id FROM user_emails e WHERE e.org_id = ?`; conditions on the child columns are
   * appended with AND. Uncorrelated on purpose, so that SQLite evaluates it once, on its index.
   */
  ownerIds: string;
  /** Sub-attribute name, lower-case → column of the child row. */
  columns: Record<string, ColumnTarget>;
  /** SQL for the value of `column` that sorting uses: the primary value, else the first (RFC 7644 §3.4.2.3). */
  sortValue(column: string): string;
  /**
   * The values live only in the child rows, not in the stored JSON (group members): a sub-attribute
   * without a column cannot be filtered or sorted on, rather than silently matching nothing.
   */
  exclusive?: boolean;
}

export interface AttributeMap {
  /** The row's id, matched against a child's owner ids. */
  rowId: string;
  /**
   * The JSON column holding the stored resource with caseExact=false strings folded: json_extract on
   * it compares case-insensitive attributes case-insensitively and the others exactly.
   */
  json: string;
  /** Canonical attribute path, lower-case (`name.givenname`, `meta.created`) → column. */
  columns: Record<string, ColumnTarget>;
  /** Multi-valued attribute path, lower-case (`emails`) → child rows. */
  children: Record<string, ChildTarget>;
}

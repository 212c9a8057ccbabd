/**
 * Read queries for the admin directory of provisioned users (who exists, who is active, who still has
 * to finish setup). Writes to users belong to the SCIM Users resource and the OrgWriter.
 *
 * Pages are keyset pages in case-folded userName order (unique per org), so a page is one statement
 * whatever the org's size, and users created while someone pages are neither repeated nor make
 * others skip. Each state filter has an (org_id, state, user_name_norm) index that yields rows in
 * page order; a search `q` is a case-folded prefix of the userName or of any email address, read as
 * two index ranges (never a LIKE pattern, whose length D1 limits to 50 bytes).
 */
import { and, eq, sql, type SQL } from "drizzle-orm";
import type { Db } from "./client";
import { startsWith } from "./prefix-range";
import { users } from "./schema";

export type DirectoryState = "active" | "deactivated" | "pending";

export interface DirectoryUser {
  id: string;
  userName: string;
  userNameNorm: string;
  displayName: string | null;
  active: boolean;
  setupState: "pending" | "complete";
  createdAt: number;
}

export interface DirectoryQuery {
  /** Case-folded search prefix, or undefined for everyone. */
  prefix?: string;
  state?: DirectoryState;
  /** The user_name_norm of the last user of the previous page. */
  after?: string;
  limit: number;
}

const STATE_CONDITION: Record<DirectoryState, SQL> = {
  active: sql`u.active = 1`,
  deactivated: sql`u.active = 0`,
  // Pending means "can still finish setup": a deactivated person cannot, so is listed as deactivated.
  pending: sql`u.setup_state = 'pending' AND u.active = 1`,
};

/** The columns of a DirectoryUser over the alias `u` (also read by a group's member pages). */
export const DIRECTORY_USER_COLUMNS = sql`u.id, u.user_name, u.user_name_norm, u.display_name, u.active, u.setup_state, u.created_at`;

export interface DirectoryUserRow {
  id: string;
  user_name: string;
  user_name_norm: string;
  display_name: string | null;
  active: number;
  setup_state: "pending" | "complete";
  created_at: number;
}

export function toDirectoryUser(r: DirectoryUserRow): DirectoryUser {
  return {
    id: r.id,
    userName: r.user_name,
    userNameNorm: r.user_name_norm,
    displayName: r.display_name,
    active: r.active === 1,
    setupState: r.setup_state,
    createdAt: r.created_at,
  };
}

/** One page of an org's users, in userName order; `limit + 1` rows are read to know whether more follow. */
export async function directoryPage(db: Db, orgId: string, query: DirectoryQuery): Promise<DirectoryUser[]> {
  const conditions = [sql`u.org_id = ${orgId}`];
  if (query.after !== undefined) conditions.push(sql`u.user_name_norm > ${query.after}`);
  if (query.state) conditions.push(STATE_CONDITION[query.state]);
  const where = sql.join(conditions, sql` AND `);
  const limit = query.limit + 1;

  let statement: SQL;
  if (query.prefix === undefined) {
    statement = sql`SELECT ${DIRECTORY_USER_COLUMNS} FROM users AS u WHERE ${where} ORDER BY u.user_name_norm LIMIT ${limit}`;
  } else {
    // Each branch is driven by its own index range, and UNION drops users found by both (or by two
    // emails). In the email branch, CROSS JOIN and INDEXED BY pin the plan to "matching emails, then
    // each one's user by id": left to itself, SQLite would walk the org's users (or all its pending
    // users) once per matching email.
    statement = sql`
      SELECT ${DIRECTORY_USER_COLUMNS} FROM users AS u WHERE ${where} AND ${startsWith(sql`u.user_name_norm`, query.prefix)}
      UNION
      SELECT ${DIRECTORY_USER_COLUMNS} FROM user_emails AS e CROSS JOIN users AS u INDEXED BY users_org_id ON u.id = e.user_id
      WHERE e.org_id = ${orgId} AND ${startsWith(sql`e.value_norm`, query.prefix)} AND ${where}
      ORDER BY user_name_norm LIMIT ${limit}`;
  }
  const rows = await db.all<DirectoryUserRow>(statement);
  return rows.map(toDirectoryUser);
}

export async function findDirectoryUser(db: Db, orgId: string, userId: string): Promise<DirectoryUser | undefined> {
  const rows = await db.all<DirectoryUserRow>(
    sql`SELECT ${DIRECTORY_USER_COLUMNS} FROM users AS u WHERE u.org_id = ${orgId} AND u.id = ${userId}`,
  );
  return rows[0] && toDirectoryUser(rows[0]);
}

/** What a setup link or its webhook needs to know about a user. */
export async function findUserForSetup(db: Db, orgId: string, userId: string) {
  return db
    .select({
      id: users.id,
      orgId: users.orgId,
      userName: users.userName,
      active: users.active,
      setupState: users.setupState,
      data: users.data,
    })
    .from(users)
    .where(and(eq(users.orgId, orgId), eq(users.id, userId)))
    .get();
}

/**
 * How many users the directory lists for a state filter (no search), for the pager's "of N". One
 * COUNT over an index range of the org: covering (users_org_active, users_org_id) for everyone,
 * active and deactivated; pending reads the org's pending rows through users_org_setup_state to check
 * `active`. The console asks for it once, with the first page, not with every page.
 */
export async function countDirectoryUsers(db: Db, orgId: string, state?: DirectoryState): Promise<number> {
  const where = state ? sql`u.org_id = ${orgId} AND ${STATE_CONDITION[state]}` : sql`u.org_id = ${orgId}`;
  const [row] = await db.all<{ n: number }>(sql`SELECT count(*) AS n FROM users AS u WHERE ${where}`);
  return row?.n ?? 0;
}

/** The list query shared by /Users and /Groups: one page and the filter's true total. */
import type { CompiledSql } from "../scim/sql/filter";
import type { Db } from "./client";

export interface ListQuery {
  /** A compiled filter over the table's alias (see the resource's attribute map), or undefined for all rows. */
  where?: CompiledSql;
  /** ORDER BY terms over the alias, without parameters; `<alias>.id` is appended as the tie-breaker. */
  orderBy: string;
  /** The tie-breaker runs the same way as a descending sort, so that one index serves the whole order. */
  idDescending?: boolean;
  offset: number;
  limit: number;
}

/**
 * Rows related to a page (e.g. the groups of the page's users), read in the same batch as the page:
 * `sql` receives a subquery yielding the page's ids and must place it before its own `?`s.
 */
export interface RelatedQuery {
  sql: (pageIds: string) => string;
  params: unknown[];
}

/**
 * One page and the filter's true total, in one batch of two statements whatever the page or org
 * size (three, one round trip, with `related`). `table` is e.g. `users u`; `columns` the SELECT
 * list over its alias.
 */
export async function listPage<T, R = never>(
  db: Db,
  table: string,
  columns: string,
  orgId: string,
  query: ListQuery,
  related?: RelatedQuery,
): Promise<{ total: number; rows: T[]; related: R[] }> {
  if (query.orderBy.includes("?")) throw new Error("ORDER BY must not take parameters");
  const alias = table.split(" ")[1];
  const where = query.where ? ` AND (${query.where.sql})` : "";
  const params = [orgId, ...(query.where?.params ?? [])];
  const pageParams = [...params, query.limit, query.offset];
  const from = `FROM ${table} WHERE ${alias}.org_id = ?${where} ORDER BY ${query.orderBy}, ${alias}.id ${query.idDescending ? "DESC" : "ASC"} LIMIT ? OFFSET ?`;
  const d1 = db.$client;
  const statements = [
    d1.prepare(`SELECT COUNT(*) AS total FROM ${table} WHERE ${alias}.org_id = ?${where}`).bind(...params),
    d1.prepare(`SELECT ${columns} ${from}`).bind(...pageParams),
  ];
  if (related) statements.push(d1.prepare(related.sql(`SELECT ${alias}.id ${from}`)).bind(...pageParams, ...related.params));
  const [count, page, extra] = await d1.batch(statements);
  return {
    total: (count.results[0] as { total: number }).total,
    rows: page.results as T[],
    related: (extra?.results ?? []) as R[],
  };
}

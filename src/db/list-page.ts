/** The list query shared by /Users and /Groups: one page and the filter's true total. */
import type { CompiledSql } from "../scim/sql/filter";
import type { Db } from "./client";

export interface ListQuery {
  /** A compiled filter over the table's alias (see the resource's attribute map), or undefined for all rows. */
  where?: CompiledSql;
  /** The whole ORDER BY over the alias, tie-breaker included, without parameters. */
  orderBy: string;
  offset: number;
  limit: number;
  /** Cursor paging (RFC 9865): see KeysetQuery. */
  keyset?: KeysetQuery;
}

export interface KeysetQuery {
  /** The sort expression, selected as `sortKey` with each row so that cursors can be minted from it. */
  sortKey: string;
  /** The rows of the page lie beyond this position (the page only; the total counts the whole filter). */
  position?: CompiledSql;
  /** Whether any row of the filter lies on the other side of the position: one row, LIMIT 1. */
  probe?: CompiledSql;
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
 * size (three, one round trip, with `related`; one more for a cursor page's probe). `table` is e.g.
 * `users u`; `columns` the SELECT list over its alias. The filter sits two levels down in every
 * WHERE (`org_id = ? AND (filter) AND (position)`), as the filter compiler's depth budget assumes.
 */
export async function listPage<T, R = never>(
  db: Db,
  table: string,
  columns: string,
  orgId: string,
  query: ListQuery,
  related?: RelatedQuery,
): Promise<{ total: number; rows: T[]; related: R[]; otherSide: boolean }> {
  if (query.orderBy.includes("?")) throw new Error("ORDER BY must not take parameters");
  const alias = table.split(" ")[1];
  const where = query.where ? ` AND (${query.where.sql})` : "";
  const params = [orgId, ...(query.where?.params ?? [])];
  const position = query.keyset?.position;
  const pageWhere = position ? `${where} AND ${position.sql}` : where;
  const pageParams = [...params, ...(position?.params ?? []), query.limit, query.offset];
  const from = `FROM ${table} WHERE ${alias}.org_id = ?${pageWhere} ORDER BY ${query.orderBy} LIMIT ? OFFSET ?`;
  const select = query.keyset ? `${columns}, ${query.keyset.sortKey} AS sortKey` : columns;
  const d1 = db.$client;
  const statements = [
    d1.prepare(`SELECT COUNT(*) AS total FROM ${table} WHERE ${alias}.org_id = ?${where}`).bind(...params),
    d1.prepare(`SELECT ${select} ${from}`).bind(...pageParams),
  ];
  if (related) statements.push(d1.prepare(related.sql(`SELECT ${alias}.id ${from}`)).bind(...pageParams, ...related.params));
  const probe = query.keyset?.probe;
  if (probe) {
    statements.push(
      d1.prepare(`SELECT 1 AS found FROM ${table} WHERE ${alias}.org_id = ?${where} AND ${probe.sql} LIMIT 1`).bind(...params, ...probe.params),
    );
  }
  const [count, page, ...rest] = await d1.batch(statements);
  const extra = related ? rest.shift() : undefined;
  const found = probe ? rest.shift() : undefined;
  return {
    total: (count.results[0] as { total: number }).total,
    rows: page.results as T[],
    related: (extra?.results ?? []) as R[],
    otherSide: (found?.results.length ?? 0) > 0,
  };
}

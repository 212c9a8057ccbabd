/** The list query shared by /Users and /Groups: one page and the filter's true total. */
import type { CompiledSql } from "../scim/filter/compile";
import type { Db } from "./client";

export interface ListQuery {
  /** A compiled filter over the table's alias (see the resource's attribute map), or undefined for all rows. */
  where?: CompiledSql;
  /** ORDER BY terms over the alias, without parameters; `<alias>.id` is appended as the tie-breaker. */
  orderBy: string;
  offset: number;
  limit: number;
}

/**
 * One page and the filter's true total, in one batch of two statements whatever the page or org
 * size. `table` is e.g. `users u`; `columns` the SELECT list over its alias.
 */
export async function listPage<T>(db: Db, table: string, columns: string, orgId: string, query: ListQuery): Promise<{ total: number; rows: T[] }> {
  if (query.orderBy.includes("?")) throw new Error("ORDER BY must not take parameters");
  const alias = table.split(" ")[1];
  const where = query.where ? ` AND (${query.where.sql})` : "";
  const params = [orgId, ...(query.where?.params ?? [])];
  const d1 = db.$client;
  const [count, page] = await d1.batch([
    d1.prepare(`SELECT COUNT(*) AS total FROM ${table} WHERE ${alias}.org_id = ?${where}`).bind(...params),
    d1
      .prepare(`SELECT ${columns} FROM ${table} WHERE ${alias}.org_id = ?${where} ORDER BY ${query.orderBy}, ${alias}.id LIMIT ? OFFSET ?`)
      .bind(...params, query.limit, query.offset),
  ]);
  return { total: (count.results[0] as { total: number }).total, rows: page.results as T[] };
}

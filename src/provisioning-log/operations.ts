/**
 * The op/path list of a SCIM PATCH body, for the provisioning log. Pure and defensive: any body,
 * however malformed, yields a summary or null, never an exception. Values are never kept; for a
 * no-path operation only the attribute names of its value object are (Okta and Entra send
 * `{"op":"replace","value":{"active":false}}`, and "what did it replace" is the question an admin has).
 */
import { getIgnoringCase, isObject } from "../scim/values";
import { truncate } from "./text";

export const MAX_LOGGED_OPERATIONS = 50;
const MAX_OP_LENGTH = 20;
const MAX_PATH_LENGTH = 200;
const MAX_ATTRIBUTES = 20;
const MAX_ATTRIBUTE_LENGTH = 100;
/** The op names SCIM has; anything else in `op` is a value the client sent, and is not kept. */
const KNOWN_OP = /^(add|remove|replace)$/i;
export const UNKNOWN_OP = "[not add, remove or replace]";

export interface OperationSummary {
  op: string | null;
  path?: string;
  /** Attribute names of a no-path operation's value object. */
  attributes?: string[];
  /** A Bulk operation's own status. */
  status?: number;
}

export interface OperationsSummary {
  /** How many operations the request carried; `items` holds at most MAX_LOGGED_OPERATIONS. */
  count: number;
  items: OperationSummary[];
}

function summarize(operation: unknown): OperationSummary {
  if (!isObject(operation)) return { op: null };
  const op = getIgnoringCase(operation, "op");
  const path = getIgnoringCase(operation, "path");
  const value = getIgnoringCase(operation, "value");
  const summary: OperationSummary = {
    op: typeof op === "string" ? (KNOWN_OP.test(op.trim()) ? truncate(op, MAX_OP_LENGTH) : UNKNOWN_OP) : null,
  };
  if (typeof path === "string") summary.path = truncate(path, MAX_PATH_LENGTH);
  else if (isObject(value)) {
    summary.attributes = Object.keys(value)
      .slice(0, MAX_ATTRIBUTES)
      .map((k) => truncate(k, MAX_ATTRIBUTE_LENGTH));
  }
  return summary;
}

export function summarizePatchBody(body: string): OperationsSummary | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return null;
  }
  if (!isObject(parsed)) return null;
  const operations = getIgnoringCase(parsed, "operations");
  if (!Array.isArray(operations)) return null;
  return { count: operations.length, items: operations.slice(0, MAX_LOGGED_OPERATIONS).map(summarize) };
}

/**
 * The operations of a Bulk request as the service answered them (method, path, status each), for its
 * one log entry. When there are more than MAX_LOGGED_OPERATIONS, the failed ones are kept first, so
 * that the entry shows what went wrong; the kept ones stay in request order.
 */
export function summarizeBulkOperations(operations: { op: string | null; path?: string; status: number }[]): OperationsSummary {
  const indexed = operations.map((o, i) => ({ i, o }));
  const kept =
    operations.length <= MAX_LOGGED_OPERATIONS
      ? indexed
      : [...indexed.filter(({ o }) => o.status >= 400), ...indexed.filter(({ o }) => o.status < 400)]
          .slice(0, MAX_LOGGED_OPERATIONS)
          .sort((a, b) => a.i - b.i);
  return {
    count: operations.length,
    items: kept.map(({ o }) => ({
      op: o.op === null ? null : truncate(o.op, MAX_OP_LENGTH),
      ...(o.path === undefined ? {} : { path: truncate(o.path, MAX_PATH_LENGTH) }),
      status: o.status,
    })),
  };
}

/**
 * What the provisioning log records about one SCIM request. Pure: the middleware gathers the facts,
 * this decides what is kept. Never the Authorization header, a body, a password or key material:
 * bodies contribute only PATCH op/paths (./operations) and the error a client was sent; query
 * parameters whose name suggests a credential are redacted.
 */
import { idpLabel } from "./idp";
import { summarizePatchBody, type OperationsSummary } from "./operations";
import { truncate, truncateOrNull } from "./text";

export const MAX_PATH_LENGTH = 500;
/** Per parameter value: a SCIM filter can be long, and only its beginning helps a human. */
export const MAX_QUERY_VALUE_LENGTH = 200;
export const MAX_QUERY_LENGTH = 1000;
export const MAX_USER_AGENT_LENGTH = 200;
export const MAX_DETAIL_LENGTH = 1000;
const MAX_SCIM_TYPE_LENGTH = 40;
const CREDENTIAL_PARAMETER = /token|secret|passw|key|auth|signature/i;

export interface LogRecord {
  orgId: string;
  tokenId: string;
  at: number;
  method: string;
  path: string;
  query: string | null;
  operations: OperationsSummary | null;
  status: number;
  scimType: string | null;
  detail: string | null;
  durationMs: number;
  userAgent: string | null;
  /** Recognised from the request; when null the log shows the token's description instead. */
  idp: string | null;
}

export interface RequestFacts {
  method: string;
  url: string;
  header: (name: string) => string | undefined;
  startedAt: number;
  endedAt: number;
  status: number;
  /** The body of an error response (what the client was told), or null for a success. */
  errorBody: string | null;
  /** The body of a PATCH request, or null. Only its op/path list is kept. */
  patchBody: string | null;
  /** The operations as the handler answered them (a Bulk request), when it said. */
  operations?: OperationsSummary | null;
}

/** Decoded `name=value` pairs, each value cut to MAX_QUERY_VALUE_LENGTH, credentials redacted. */
export function summarizeQuery(params: URLSearchParams): string | null {
  const pairs: string[] = [];
  for (const [name, value] of params) {
    const shown = CREDENTIAL_PARAMETER.test(name) ? "[redacted]" : truncate(value, MAX_QUERY_VALUE_LENGTH);
    pairs.push(`${truncate(name, 100)}=${shown}`);
  }
  return pairs.length ? truncate(pairs.join("&"), MAX_QUERY_LENGTH) : null;
}

/** `scimType` and `detail` of a SCIM error body; nulls when the body is not one. */
export function errorFields(body: string | null): { scimType: string | null; detail: string | null } {
  if (!body) return { scimType: null, detail: null };
  try {
    const parsed = JSON.parse(body) as { scimType?: unknown; detail?: unknown };
    return {
      scimType: typeof parsed.scimType === "string" ? truncateOrNull(parsed.scimType, MAX_SCIM_TYPE_LENGTH) : null,
      detail: typeof parsed.detail === "string" ? truncateOrNull(parsed.detail, MAX_DETAIL_LENGTH) : null,
    };
  } catch {
    return { scimType: null, detail: null };
  }
}

export function logRecord(caller: { orgId: string; tokenId: string }, facts: RequestFacts): LogRecord {
  const url = new URL(facts.url);
  return {
    orgId: caller.orgId,
    tokenId: caller.tokenId,
    at: facts.startedAt,
    method: truncate(facts.method, 16),
    path: truncate(url.pathname, MAX_PATH_LENGTH),
    query: summarizeQuery(url.searchParams),
    operations: facts.operations ?? (facts.patchBody === null ? null : summarizePatchBody(facts.patchBody)),
    status: facts.status,
    ...errorFields(facts.errorBody),
    durationMs: Math.max(0, facts.endedAt - facts.startedAt),
    userAgent: truncateOrNull(facts.header("User-Agent"), MAX_USER_AGENT_LENGTH),
    idp: idpLabel(facts.header),
  };
}

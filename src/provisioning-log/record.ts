/**
 * What the provisioning log records about one SCIM request. Pure: the middleware gathers the facts,
 * this decides what is kept. Never the Authorization header, a body, a password or key material:
 * bodies contribute only PATCH op/paths (./operations) and the error a client was sent; query
 * parameters whose name suggests a credential are redacted, and so is anything shaped like a
 * credential this service issues, wherever it appears (path, query, PATCH paths, detail, User-Agent).
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
/** Parameter names whose values are redacted whatever they hold. */
const CREDENTIAL_PARAMETER = /token|secret|pass|pwd|key|auth|sig|jwt|code|session|cookie|cred|otp|assertion|saml|bearer|nonce/i;

/**
 * The shapes of the credentials this service issues, wherever they appear:
 * - SCIM tokens `scim_` + 43 base64url characters (src/auth/scim-tokens.ts) and setup tokens
 *   `setup_` + 43 (src/setup/links.ts), also cut short or glued to other text: the prefix and 8 more;
 * - session ids, console and people's (src/auth/console-sessions.ts, src/setup/complete.ts): a run of
 *   exactly 43 base64url characters (32 random bytes);
 * - console CSRF tokens: 64 hex digits (an HMAC-SHA-256).
 * Ids (UUIDs: 36 characters), e-mail addresses and ordinary words have none of these shapes.
 */
const ISSUED_CREDENTIAL =
  /(?:scim|setup)_[A-Za-z0-9_-]{8,}|(?<![A-Za-z0-9_-])[A-Za-z0-9_-]{43}(?![A-Za-z0-9_-])|(?<![0-9A-Fa-f])[0-9A-Fa-f]{64}(?![0-9A-Fa-f])/gi;
export const REDACTED = "[redacted]";

/** Replaces every credential-shaped run in `text` (see ISSUED_CREDENTIAL). */
export function redactCredentials(text: string): string {
  return text.replace(ISSUED_CREDENTIAL, REDACTED);
}

function decodeOrSelf(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The path as sent, except that a segment holding a credential (also percent-encoded) is shown decoded and redacted. */
export function redactPath(pathname: string): string {
  return pathname
    .split("/")
    .map((segment) => {
      const decoded = decodeOrSelf(segment);
      const redacted = redactCredentials(decoded);
      return redacted === decoded ? redactCredentials(segment) : redacted;
    })
    .join("/");
}

function redactOperations(summary: OperationsSummary | null): OperationsSummary | null {
  if (!summary) return null;
  return {
    count: summary.count,
    items: summary.items.map((item) => ({
      ...item,
      ...(item.path !== undefined ? { path: redactCredentials(item.path) } : {}),
      ...(item.attributes ? { attributes: item.attributes.map(redactCredentials) } : {}),
    })),
  };
}

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
  /** For a sampled 429: the org's refusals before it that were not recorded (the token's counters still count them). */
  unrecordedRefusals?: number;
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
  /**
   * When the client's detail quotes a value from the request body: the same detail naming only the
   * attribute and the type received (ScimError.logDetail). It is what the log keeps.
   */
  errorLogDetail?: string | null;
  /** For a 429 entry: how many of the org's refused requests before it were not recorded (./rate-limited). */
  unrecordedRefusals?: number;
  /** The body of a PATCH request, or null. Only its op/path list is kept. */
  patchBody: string | null;
  /** The operations as the handler answered them (a Bulk request), when it said. */
  operations?: OperationsSummary | null;
}

/** Decoded `name=value` pairs, each value cut to MAX_QUERY_VALUE_LENGTH, credentials redacted. */
export function summarizeQuery(params: URLSearchParams): string | null {
  const pairs: string[] = [];
  for (const [name, value] of params) {
    const shown = CREDENTIAL_PARAMETER.test(name) ? REDACTED : truncate(redactCredentials(value), MAX_QUERY_VALUE_LENGTH);
    pairs.push(`${truncate(redactCredentials(name), 100)}=${shown}`);
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
      detail: typeof parsed.detail === "string" ? truncateOrNull(redactCredentials(parsed.detail), MAX_DETAIL_LENGTH) : null,
    };
  } catch {
    return { scimType: null, detail: null };
  }
}

/** The error as logged: the client's scimType, and its detail unless a value-free one was given. */
function loggedErrorFields(facts: RequestFacts): { scimType: string | null; detail: string | null } {
  const fields = errorFields(facts.errorBody);
  if (facts.unrecordedRefusals) {
    const more = ` (${facts.unrecordedRefusals} more requests refused before this one were not recorded)`;
    return { ...fields, detail: truncateOrNull(`${fields.detail ?? ""}${more}`, MAX_DETAIL_LENGTH) };
  }
  if (!facts.errorLogDetail || facts.status < 400) return fields;
  return { ...fields, detail: truncateOrNull(redactCredentials(facts.errorLogDetail), MAX_DETAIL_LENGTH) };
}

export function logRecord(caller: { orgId: string; tokenId: string }, facts: RequestFacts): LogRecord {
  const url = new URL(facts.url);
  return {
    orgId: caller.orgId,
    tokenId: caller.tokenId,
    at: facts.startedAt,
    method: truncate(facts.method, 16),
    path: truncate(redactPath(url.pathname), MAX_PATH_LENGTH),
    query: summarizeQuery(url.searchParams),
    operations: redactOperations(facts.operations ?? (facts.patchBody === null ? null : summarizePatchBody(facts.patchBody))),
    status: facts.status,
    ...loggedErrorFields(facts),
    durationMs: Math.max(0, facts.endedAt - facts.startedAt),
    userAgent: truncateOrNull(redactOptional(facts.header("User-Agent")), MAX_USER_AGENT_LENGTH),
    idp: idpLabel(facts.header),
    ...(facts.unrecordedRefusals ? { unrecordedRefusals: facts.unrecordedRefusals } : {}),
  };
}

function redactOptional(text: string | undefined): string | undefined {
  return text === undefined ? undefined : redactCredentials(text);
}

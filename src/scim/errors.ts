/**
 * The one error type of the SCIM protocol layer (RFC 7644 §3.12).
 *
 * Protocol code throws `ScimError`; the app's single `onError` renders it as a SCIM error body with a
 * string `status`. Anything else that escapes is a bug and becomes a 500.
 *
 * `detail` is what the client is told and may quote what it sent. `logDetail`, when a detail quotes a
 * value from the request body, is the same message naming only the attribute and the type received:
 * that is what the provisioning log keeps (a body value may be a password sent in the wrong place).
 */
export const SCIM_ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

export type ScimType =
  | "invalidFilter"
  | "tooMany"
  | "uniqueness"
  | "mutability"
  | "invalidSyntax"
  | "invalidPath"
  | "noTarget"
  | "invalidValue"
  | "invalidVers"
  | "sensitive"
  | "invalidCursor"
  | "expiredCursor"
  | "invalidCount";

export interface ScimErrorBody {
  schemas: [typeof SCIM_ERROR_URN];
  status: string;
  scimType?: ScimType;
  detail: string;
}

export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly scimType?: ScimType,
    /** Extra response headers, e.g. `WWW-Authenticate` on 401 or `Retry-After` on 503. */
    readonly headers: Record<string, string> = {},
    /** The detail without any value from the request body, for the provisioning log; absent when `detail` has none. */
    readonly logDetail?: string,
  ) {
    super(detail);
    this.name = "ScimError";
  }

  toBody(): ScimErrorBody {
    const body: ScimErrorBody = { schemas: [SCIM_ERROR_URN], status: String(this.status), detail: this.detail };
    if (this.scimType) body.scimType = this.scimType;
    return body;
  }

  static badRequest(scimType: ScimType, detail: string): ScimError {
    return new ScimError(400, detail, scimType);
  }
  static invalidFilter(detail: string, logDetail?: string): ScimError {
    return new ScimError(400, detail, "invalidFilter", {}, logDetail);
  }
  static invalidValue(detail: string, logDetail?: string): ScimError {
    return new ScimError(400, detail, "invalidValue", {}, logDetail);
  }
  static invalidSyntax(detail: string, logDetail?: string): ScimError {
    return new ScimError(400, detail, "invalidSyntax", {}, logDetail);
  }
  static invalidPath(detail: string, logDetail?: string): ScimError {
    return new ScimError(400, detail, "invalidPath", {}, logDetail);
  }
  static notFound(detail = "Resource not found"): ScimError {
    return new ScimError(404, detail);
  }
  static conflict(detail: string, logDetail?: string): ScimError {
    return new ScimError(409, detail, "uniqueness", {}, logDetail);
  }
  static preconditionFailed(detail = "The resource has changed (If-Match did not match its ETag)"): ScimError {
    return new ScimError(412, detail);
  }
  static unauthorized(detail: string): ScimError {
    return new ScimError(401, detail, undefined, { "WWW-Authenticate": 'Bearer realm="scim"' });
  }
  static unavailable(detail: string, retryAfterSeconds = 1): ScimError {
    return new ScimError(503, detail, undefined, { "Retry-After": String(retryAfterSeconds) });
  }
}

/** A domain error as a plain value, for crossing Durable Object RPC (thrown errors lose their fields there). */
export interface ScimErrorValue {
  ok: false;
  status: number;
  scimType?: ScimType;
  detail: string;
  logDetail?: string;
}

export function errorToValue(e: ScimError): ScimErrorValue {
  return { ok: false, status: e.status, scimType: e.scimType, detail: e.detail, logDetail: e.logDetail };
}

export function errorFromValue(v: ScimErrorValue): ScimError {
  return new ScimError(v.status, v.detail, v.scimType, {}, v.logDetail);
}

/** The JSON type of a value, as a log detail names it instead of the value itself. */
export function jsonType(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  switch (typeof value) {
    case "string":
      return "a string";
    case "number":
      return "a number";
    case "boolean":
      return "a boolean";
    case "object":
      return "an object";
    default:
      return typeof value;
  }
}

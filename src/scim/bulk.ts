/**
 * Bulk (RFC 7644 §3.7) as protocol: reading a BulkRequest, the `bulkId` references between its
 * operations and the order that satisfies them, and writing the BulkResponse. Executing the
 * operations is the service's (src/services/bulk) and the OrgWriter's (src/org-writer/bulk).
 *
 * - Every operation is read on its own: a malformed one is that operation's error, never the
 *   request's. Only a body that is no BulkRequest at all is 400, and more than BULK_MAX_OPERATIONS
 *   operations 413.
 * - `bulkId:<id>` anywhere in an operation's path or data (a member's `value`, a `manager.value`)
 *   stands for the id of the resource the POST with that bulkId creates, whatever the order of the
 *   two operations: each operation runs after the POSTs it references (otherwise in request order).
 *   A reference to a bulkId no POST declares is 400 invalidValue; operations whose references form a
 *   cycle are 409 (the RFC's answer for circular references it does not resolve).
 */
import { ScimError, errorToValue, type ScimErrorValue } from "./errors";
import { BULK_MAX_OPERATIONS } from "./limits";
import { getIgnoringCase, isObject, type Json } from "./values";

export const BULK_REQUEST_URN = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
export const BULK_RESPONSE_URN = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

export type BulkMethod = "POST" | "PUT" | "PATCH" | "DELETE";
export type BulkEndpoint = "Users" | "Groups";

/** An operation as the request states it, before references are resolved. */
export interface BulkOperation {
  /** Position in the request's Operations, from 0. */
  index: number;
  /** Echoed in the response; undefined when the request's method is unusable. */
  method?: BulkMethod;
  bulkId?: string;
  /** The operation's `version`: an ETag, checked as If-Match. */
  version?: string;
  endpoint?: BulkEndpoint;
  /** The target's id (PUT, PATCH, DELETE), possibly `bulkId:<id>`. */
  id?: string;
  data?: Json;
  /** What is wrong with the operation itself; it is answered with this and not run. */
  error?: ScimErrorValue;
}

export interface BulkRequest {
  /** Stop after this many errors (the operations not yet run are not answered); undefined: run all. */
  failOnErrors?: number;
  operations: BulkOperation[];
}

const METHODS: readonly BulkMethod[] = ["POST", "PUT", "PATCH", "DELETE"];
const TYPE_PATH = /^\/?(users|groups)\/?$/i;
const RESOURCE_PATH = /^\/?(users|groups)\/([^/?#]+)\/?$/i;
export const BULK_ID_PREFIX = "bulkId:";

function endpointOf(name: string): BulkEndpoint {
  return name.toLowerCase() === "users" ? "Users" : "Groups";
}

function decodeId(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

function readOperation(raw: unknown, index: number): BulkOperation {
  const op: BulkOperation = { index };
  const fail = (error: ScimError) => ({ ...op, error: errorToValue(error) });
  const where = `Operations[${index}]`;
  if (!isObject(raw)) return fail(ScimError.invalidSyntax(`${where} must be an object`));
  const method = getIgnoringCase(raw, "method");
  const upper = typeof method === "string" ? method.trim().toUpperCase() : undefined;
  if (!upper || !(METHODS as readonly string[]).includes(upper)) {
    return fail(ScimError.invalidSyntax(`${where}.method must be POST, PUT, PATCH or DELETE, not ${JSON.stringify(method ?? null)}`));
  }
  op.method = upper as BulkMethod;
  const bulkId = getIgnoringCase(raw, "bulkId");
  if (bulkId !== undefined && bulkId !== null) {
    if (typeof bulkId !== "string" || !bulkId.trim()) return fail(ScimError.invalidSyntax(`${where}.bulkId must be a non-empty string`));
    op.bulkId = bulkId;
  }
  const version = getIgnoringCase(raw, "version");
  if (version !== undefined && version !== null) {
    if (typeof version !== "string") return fail(ScimError.invalidSyntax(`${where}.version must be an ETag string such as W/"3"`));
    op.version = version;
  }
  const path = getIgnoringCase(raw, "path");
  if (typeof path !== "string" || !path.trim()) return fail(ScimError.invalidSyntax(`${where}.path is required, e.g. /Users or /Groups/<id>`));
  const typePath = TYPE_PATH.exec(path.trim());
  const resourcePath = RESOURCE_PATH.exec(path.trim());
  if (!typePath && !resourcePath) return fail(ScimError.notFound(`${where}.path '${path}' names no Users or Groups endpoint`));
  op.endpoint = endpointOf((typePath ?? resourcePath)![1]);
  if (op.method === "POST") {
    if (!typePath) return fail(new ScimError(405, `${where}: POST goes to /${op.endpoint}, not to one resource`, undefined, { Allow: "GET, PUT, PATCH, DELETE" }));
    if (!op.bulkId) return fail(ScimError.invalidSyntax(`${where}.bulkId is required for POST (RFC 7644 §3.7)`));
  } else {
    if (!resourcePath) return fail(new ScimError(405, `${where}: ${op.method} needs a resource path such as /${op.endpoint}/<id>`));
    op.id = decodeId(resourcePath[2]);
  }
  if (op.method !== "DELETE") {
    const data = getIgnoringCase(raw, "data");
    if (!isObject(data)) return fail(ScimError.invalidSyntax(`${where}.data must be the resource or PatchOp object the ${op.method} sends`));
    op.data = data;
  }
  return op;
}

function failOnErrorsOf(raw: unknown): number | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  const n = typeof raw === "number" ? raw : typeof raw === "string" && /^\s*\d+\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1) throw ScimError.invalidValue(`'failOnErrors' must be a positive integer, not ${JSON.stringify(raw)}`);
  return n;
}

/** Reads a BulkRequest body. Throws 400 for a body that is not one, 413 beyond BULK_MAX_OPERATIONS operations. */
export function parseBulkRequest(body: Json): BulkRequest {
  const operations = getIgnoringCase(body, "Operations");
  if (!Array.isArray(operations)) throw ScimError.invalidSyntax("A BulkRequest needs an 'Operations' list");
  if (operations.length > BULK_MAX_OPERATIONS) {
    throw new ScimError(413, `A BulkRequest may carry at most ${BULK_MAX_OPERATIONS} operations (bulk.maxOperations); this one has ${operations.length}`);
  }
  return { failOnErrors: failOnErrorsOf(getIgnoringCase(body, "failOnErrors")), operations: operations.map(readOperation) };
}

/** Every `bulkId:<id>` the operation's path and data mention, each once. */
export function referencedBulkIds(op: BulkOperation): string[] {
  const found = new Set<string>();
  const visit = (value: unknown): void => {
    if (typeof value === "string") {
      if (value.startsWith(BULK_ID_PREFIX) && value.length > BULK_ID_PREFIX.length) found.add(value.slice(BULK_ID_PREFIX.length));
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) Object.values(value).forEach(visit);
  };
  visit(op.id);
  visit(op.data);
  return [...found];
}

/** The operation's path and data with each `bulkId:<id>` replaced by the id created for it. */
export function resolveBulkIds<T>(value: T, ids: ReadonlyMap<string, string>): T {
  if (typeof value === "string") {
    if (!value.startsWith(BULK_ID_PREFIX)) return value;
    return (ids.get(value.slice(BULK_ID_PREFIX.length)) ?? value) as T;
  }
  if (Array.isArray(value)) return value.map((v) => resolveBulkIds(v, ids)) as T;
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolveBulkIds(v, ids)])) as T;
  return value;
}

/** An operation in the order the request is run in, with the POSTs it waits for. */
export interface PlannedOperation {
  op: BulkOperation;
  /** Indexes of the POST operations whose bulkIds it references. */
  dependsOn: number[];
}

/**
 * The order to run the operations in: each after the POSTs whose bulkIds it references, otherwise in
 * request order. Operations referencing an undeclared bulkId, repeating a declared one, or caught in
 * (or waiting on) a cycle of references come back with their error set.
 */
export function planBulk(operations: BulkOperation[]): PlannedOperation[] {
  const declared = new Map<string, number>();
  const ops = operations.map((op) => ({ ...op }));
  for (const op of ops) {
    // A malformed POST still declares its bulkId: what references it learns that it was not created.
    if (op.method !== "POST" || !op.bulkId) continue;
    const first = declared.get(op.bulkId);
    if (first === undefined) declared.set(op.bulkId, op.index);
    else op.error ??= errorToValue(ScimError.invalidValue(`bulkId '${op.bulkId}' is already declared by Operations[${first}]`));
  }
  const dependsOn = new Map<number, number[]>();
  for (const op of ops) {
    if (op.error) continue;
    const deps: number[] = [];
    for (const bulkId of referencedBulkIds(op)) {
      const target = declared.get(bulkId);
      if (target === undefined) {
        op.error = errorToValue(ScimError.invalidValue(`'bulkId:${bulkId}' names no POST operation of this request`));
        break;
      }
      deps.push(target);
    }
    if (!op.error) dependsOn.set(op.index, [...new Set(deps)]);
  }
  // Kahn's algorithm, always taking the earliest ready operation, so that without references the
  // order is the request's.
  const waiting = new Map<number, number>();
  const dependents = new Map<number, number[]>();
  for (const [index, deps] of dependsOn) {
    waiting.set(index, deps.length);
    for (const d of deps) dependents.set(d, [...(dependents.get(d) ?? []), index]);
  }
  const ready = ops.filter((op) => op.error || waiting.get(op.index) === 0).map((op) => op.index);
  const order: number[] = [];
  const done = new Set<number>();
  while (ready.length) {
    ready.sort((a, b) => a - b);
    const next = ready.shift()!;
    order.push(next);
    done.add(next);
    for (const dependent of dependents.get(next) ?? []) {
      const left = waiting.get(dependent)! - 1;
      waiting.set(dependent, left);
      if (left === 0) ready.push(dependent);
    }
  }
  // What never became ready is in a cycle or waits on one.
  for (const op of ops) {
    if (done.has(op.index)) continue;
    const cycle = cycleThrough(op.index, dependsOn, done);
    const names = (indexes: number[]) => indexes.map((i) => `bulkId:${ops[i].bulkId}`).join(" → ");
    op.error = errorToValue(
      new ScimError(
        409,
        cycle
          ? `Circular bulkId references (${names([...cycle, cycle[0]])}) are not resolved; create the resources first, then link them`
          : `Operations[${op.index}] waits on a circular bulkId reference and was not run`,
      ),
    );
    order.push(op.index);
  }
  return order.map((index) => ({ op: ops[index], dependsOn: dependsOn.get(index) ?? [] }));
}

/** The cycle of references that `start` lies on, if it lies on one. */
function cycleThrough(start: number, dependsOn: Map<number, number[]>, done: Set<number>): number[] | undefined {
  const path: number[] = [];
  const seen = new Set<number>();
  const visit = (node: number): number[] | undefined => {
    if (node === start && path.length) return [...path];
    if (seen.has(node) || done.has(node)) return undefined;
    seen.add(node);
    path.push(node);
    for (const next of dependsOn.get(node) ?? []) {
      const found = visit(next);
      if (found) return found;
    }
    path.pop();
    return undefined;
  };
  return visit(start);
}

/** One operation's answer in a BulkResponse. */
export interface BulkResult {
  method?: BulkMethod;
  bulkId?: string;
  location?: string;
  version?: string;
  /** The HTTP status, as a string like every SCIM status. */
  status: string;
  /** The SCIM error body of a failed operation. */
  response?: Json;
}

export function bulkResponse(results: BulkResult[]): Json {
  return { schemas: [BULK_RESPONSE_URN], Operations: results };
}

/**
 * What a Bulk request (RFC 7644 §3.7) does: its operations validated by the same contract functions
 * as their single forms (src/scim), the ids of the resources its POSTs create chosen up front so that
 * `bulkId:` references become ids, and the whole request run as one write of the organization's
 * OrgWriter (src/org-writer/bulk), which answers each operation.
 */
import { newId } from "../lib/crypto";
import type { BulkIntent, BulkOutcome, BulkStep } from "../org-writer/bulk";
import { viaWriter } from "../org-writer/client";
import { BULK_ID_PREFIX, bulkResponse, parseBulkRequest, planBulk, resolveBulkIds, type BulkOperation, type BulkResult } from "../scim/bulk";
import { errorFromValue, errorToValue, ScimError, type ScimErrorValue } from "../scim/errors";
import { etagOf, ifMatchCondition } from "../scim/etag";
import { groupChangeFromPatch, groupFromBody } from "../scim/resource/group";
import { userFromBody } from "../scim/resource/user";
import { resourceLocation } from "../scim/resource/canonical";
import type { Json } from "../scim/values";
import type { OrgScope } from "./scope";

/** One operation as the provisioning log lists it. */
export interface BulkLogItem {
  op: string | null;
  path?: string;
  status: number;
}

export interface BulkAnswer {
  /** The BulkResponse. */
  body: Json;
  /** Users the request created (and did not delete again): their setup starts like any new user's. */
  createdUsers: string[];
  /** Every answered operation, in request order, for the provisioning log. */
  log: BulkLogItem[];
}

/** The intent of one operation, or its error: the validation its single form does before writing. */
function intentOf(op: BulkOperation, id: string | undefined): BulkIntent {
  if (op.error) return { kind: "failed", error: op.error };
  try {
    const ifMatch = op.version === undefined ? undefined : ifMatchCondition(op.version);
    const data = op.data ?? {};
    const target = id!;
    if (op.endpoint === "Users") {
      switch (op.method) {
        case "POST":
          return { kind: "createUser", id: target, resource: userFromBody(data) };
        case "PUT":
          return { kind: "replaceUser", id: target, resource: userFromBody(data), ifMatch };
        case "PATCH":
          return { kind: "patchUser", id: target, patch: data, ifMatch };
        default:
          return { kind: "deleteUser", id: target, ifMatch };
      }
    }
    switch (op.method) {
      case "POST":
        return { kind: "createGroup", id: target, group: groupFromBody(data) };
      case "PUT":
        return { kind: "replaceGroup", id: target, group: groupFromBody(data), ifMatch };
      case "PATCH":
        return { kind: "patchGroup", id: target, change: groupChangeFromPatch(data), ifMatch };
      default:
        return { kind: "deleteGroup", id: target, ifMatch };
    }
  } catch (err) {
    if (err instanceof ScimError) return { kind: "failed", error: errorToValue(err) };
    throw err;
  }
}

function errorBody(error: ScimErrorValue): Json {
  return errorFromValue(error).toBody() as unknown as Json;
}

/** Runs a BulkRequest body for the scope's organization. Throws 400/413 for a body that is not one, 503 when nothing could be written. */
export async function runBulkRequest(scope: OrgScope, body: Json, baseUrl: string): Promise<BulkAnswer> {
  const request = parseBulkRequest(body);
  const planned = planBulk(request.operations);
  // The ids the POSTs will create, so that references to their bulkIds are ids from the start.
  const created = new Map<string, string>();
  const idOf = new Map<number, string>();
  for (const { op } of planned) {
    if (op.method !== "POST" || !op.bulkId || created.has(op.bulkId)) continue;
    const id = newId();
    created.set(op.bulkId, id);
    idOf.set(op.index, id);
  }
  const steps: BulkStep[] = planned.map(({ op, dependsOn }) => {
    const resolved: BulkOperation = op.error ? op : { ...op, id: resolveBulkIds(op.id, created), data: resolveBulkIds(op.data, created) };
    const id = op.method === "POST" ? idOf.get(op.index) : resolved.id;
    return { index: op.index, intent: intentOf(resolved, id), dependsOn };
  });

  let outcomes: BulkOutcome[] = [];
  let createdUsers: string[] = [];
  if (steps.length) {
    const result = await viaWriter(() => scope.writer().bulk(scope.orgId, steps, request.failOnErrors, scope.now(), scope.baseUrl));
    outcomes = result.outcomes;
    createdUsers = result.createdUsers;
  }

  const byIndex = new Map(outcomes.map((o) => [o.index, o]));
  const results: BulkResult[] = [];
  const log: BulkLogItem[] = [];
  for (const op of request.operations) {
    const outcome = byIndex.get(op.index);
    if (!outcome) continue; // not run: failOnErrors stopped the request before it
    const id = op.method === "POST" ? idOf.get(op.index) : resolveBulkIds(op.id, created);
    // A failed operation's location only when its path named an existing id (a failed POST, or a
    // reference to one, has created nothing to point at).
    const named = op.method !== "POST" && op.id !== undefined && !op.id.startsWith(BULK_ID_PREFIX);
    const location = op.endpoint && id && (outcome.ok || named) ? resourceLocation(baseUrl, op.endpoint, id) : undefined;
    const status = outcome.ok ? outcome.status : outcome.error.status;
    // In the order of the RFC's examples: location, method, bulkId, version, status, response.
    const result: BulkResult = { ...(location ? { location } : {}), method: op.method, status: "" };
    if (op.bulkId !== undefined) result.bulkId = op.bulkId;
    if (outcome.ok && outcome.version !== undefined) result.version = etagOf(outcome.version);
    delete (result as Partial<BulkResult>).status;
    result.status = String(status);
    if (!outcome.ok) result.response = errorBody(outcome.error);
    results.push(result);
    const path = op.endpoint ? `/${op.endpoint}${id && op.method !== "POST" ? `/${id}` : ""}` : undefined;
    log.push({ op: op.method ?? null, ...(path ? { path } : {}), status });
  }
  return { body: bulkResponse(results), createdUsers, log };
}

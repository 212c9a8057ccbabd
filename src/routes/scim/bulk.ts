/** /Bulk (RFC 7644 §3.7): a thin adapter between HTTP and the bulk service. */
import { Hono } from "hono";
import { summarizeBulkOperations } from "../../provisioning-log/operations";
import { BULK_MAX_PAYLOAD_BYTES } from "../../scim/limits";
import { runBulkRequest } from "../../services/bulk";
import { onUsersProvisioned } from "../../setup/hooks";
import type { AppEnv } from "../context";
import { scimBodyLimit } from "../middleware/scim-media";
import { scimBaseUrl } from "../origin";
import { setupHookRuntime } from "../setup-hooks";
import { readJsonObject } from "./body";
import { orgScope } from "./request";
import { methodNotAllowed, scimJson } from "./responses";

export const bulkRoutes = new Hono<AppEnv>()
  // bulk.maxPayloadSize: a larger body is 413 before it is read.
  .use("/Bulk", scimBodyLimit(BULK_MAX_PAYLOAD_BYTES))
  .post("/Bulk", async (c) => {
    const answer = await runBulkRequest(orgScope(c), await readJsonObject(c), scimBaseUrl(c));
    // One provisioning-log entry for the request, listing its operations with their statuses.
    c.set("logOperations", summarizeBulkOperations(answer.log));
    // Users created in bulk start their setup like users created one by one.
    onUsersProvisioned(setupHookRuntime(c), c.var.orgId, answer.createdUsers);
    return scimJson(c, answer.body);
  })
  .all("/Bulk", methodNotAllowed(["POST"]));

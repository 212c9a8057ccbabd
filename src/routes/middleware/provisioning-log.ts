/**
 * The provisioning log's HTTP side (the log itself is src/provisioning-log): records every SCIM
 * request whose token resolves to an org — accepted or refused (revoked, expired, SCIM off),
 * discovery included — with what the client was answered. A token that resolves to no org only bumps an operator counter. The entry is written from
 * ctx.waitUntil; on the response path this only clones an error response and, for PATCH, reads a
 * body the handler has usually read already.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { bumpCounter } from "../../db/counters";
import { rateLimitedEntry } from "../../provisioning-log/rate-limited";
import { logRecord } from "../../provisioning-log/record";
import { durableObjectLogStore } from "../../provisioning-log/store";
import { recordEntry } from "../../provisioning-log/writer";
import { ScimError } from "../../scim/errors";
import { DEFAULT_BODY_LIMIT_BYTES } from "../../scim/limits";
import type { AppEnv } from "../context";
import { afterResponse } from "../wait-until";

export const UNKNOWN_TOKEN_COUNTER = "scim.unknown_token";

/** Reads a body stream as text, giving up (null) past `maxBytes`. */
async function readAtMost(body: ReadableStream<Uint8Array>, maxBytes: number): Promise<string | null> {
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      return null;
    }
    chunks.push(value);
  }
  return new TextDecoder().decode(await new Blob(chunks).arrayBuffer());
}

/**
 * The PATCH body, for its op/path list: free when the handler has read it; otherwise (a 404 or 405
 * never reads it) read here, but only up to the default body limit.
 */
async function patchBodyForLog(c: Context<AppEnv>): Promise<string | null> {
  if (c.req.method !== "PATCH" || c.res.status === 413) return null;
  try {
    if (Object.keys(c.req.bodyCache).length > 0) return await c.req.text();
    return c.req.raw.body && !c.req.raw.bodyUsed ? await readAtMost(c.req.raw.body, DEFAULT_BODY_LIMIT_BYTES) : null;
  } catch {
    return null; // consumed in a way that cannot be replayed: log the request without its ops
  }
}

export const provisioningLog = createMiddleware<AppEnv>(async (c, next) => {
  const startedAt = c.var.clock();
  await next();
  const caller = c.var.scimToken;
  if (!caller) return; // no bearer token at all: nobody to attribute the request to
  const { db, clock } = c.var;
  if (caller.kind === "unknown") {
    afterResponse(c, bumpCounter(db, UNKNOWN_TOKEN_COUNTER, clock()));
    return;
  }
  const endedAt = clock();
  const status = c.res.status;
  // A rate-limited flood is sampled, so that its refusals neither turn into log writes nor push the
  // organization's real history out of its 10,000 entries.
  const limited = status === 429 ? rateLimitedEntry(caller.orgId, endedAt) : null;
  if (limited && !limited.record) return;
  const unrecordedRefusals = limited?.record ? limited.unrecorded : 0;
  const errorResponse = status >= 400 ? c.res.clone() : null;
  // The error the handler threw, when its detail quotes the body: the log keeps its value-free twin.
  const errorLogDetail = c.error instanceof ScimError ? (c.error.logDetail ?? null) : null;
  const patchBody = await patchBodyForLog(c);
  const { method, url } = c.req;
  const operations = c.var.logOperations ?? null;
  const header = (name: string) => c.req.header(name);
  const store = durableObjectLogStore(c.env);
  afterResponse(
    c,
    (async () => {
      const errorBody = errorResponse ? await errorResponse.text() : null;
      await recordEntry(
        logRecord(caller, { method, url, header, startedAt, endedAt, status, errorBody, errorLogDetail, unrecordedRefusals, patchBody, operations }),
        store,
      );
    })(),
  );
});

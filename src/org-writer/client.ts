/** How routes reach an organization's OrgWriter, and how its answers become responses or errors. */
import type { Env } from "../env";
import { errorFromValue } from "../scim/errors";
import { writerUnavailable, type WriteResult } from "./result";
import type { OrgWriter } from "./writer";

const LOCATION_HINTS = new Set(["wnam", "enam", "sam", "weur", "eeur", "apac", "oc", "afr", "me"]);

export function orgWriter(env: Env, orgId: string): DurableObjectStub<OrgWriter> {
  const id = env.ORG_WRITER.idFromName(orgId);
  // Place the writer near the D1 primary (wrangler.toml D1_LOCATION), since every write it runs goes there.
  const hint = env.D1_LOCATION;
  return hint && LOCATION_HINTS.has(hint)
    ? env.ORG_WRITER.get(id, { locationHint: hint as DurableObjectLocationHint })
    : env.ORG_WRITER.get(id);
}

/**
 * Awaits a writer call: a domain error value becomes its ScimError; a writer that cannot be reached
 * or fails becomes 503 with Retry-After, never a 500 (the write either happened atomically or not at all).
 */
export async function viaWriter<T>(call: () => Promise<WriteResult<T>>): Promise<T> {
  let result: WriteResult<T>;
  try {
    result = await call();
  } catch (err) {
    console.error("OrgWriter call failed:", err);
    throw writerUnavailable();
  }
  if (result.ok) return result.value;
  // Headers do not cross RPC: a 503 value gets its Retry-After back here.
  throw result.status === 503 ? writerUnavailable() : errorFromValue(result);
}

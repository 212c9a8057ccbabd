/**
 * What an OrgWriter call returns across RPC. Errors thrown across Durable Object RPC lose their custom
 * fields, so domain errors travel as values (ScimErrorValue) and become ScimErrors again in ./client.
 */
import { ScimError, type ScimErrorValue } from "../scim/errors";

/**
 * `bookmark`: with read replication on, the D1 bookmark of the write, which the caller keeps so that
 * the organization's next reads see it (src/routes/middleware/read-replicas.ts).
 */
export type WriteResult<T> = { ok: true; value: T; bookmark?: string } | ScimErrorValue;

const RETRY_AFTER_SECONDS = 2;

/** The writer could not run a write (unreachable, or its batch failed and so wrote nothing). */
export function writerUnavailable(): ScimError {
  return ScimError.unavailable("The organization's directory writer is temporarily unavailable; retry shortly", RETRY_AFTER_SECONDS);
}

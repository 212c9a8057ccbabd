/** Reads a SCIM request body: JSON objects only, as application/scim+json or application/json. */
import type { Context } from "hono";
import { ScimError } from "../../scim/errors";
import { unreadableBody } from "../middleware/scim-media";

const JSON_MEDIA_TYPE = /^application\/(scim\+)?json$/i;

export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  const contentType = c.req.header("Content-Type");
  // A missing Content-Type is tolerated (some clients omit it); anything else must be JSON.
  if (contentType && !JSON_MEDIA_TYPE.test(contentType.split(";")[0].trim())) {
    throw new ScimError(415, `Unsupported Content-Type '${contentType}': send application/scim+json or application/json`);
  }
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw unreadableBody(); // the client disconnected mid-body: its error, not ours
  }
  if (!text.trim()) throw ScimError.invalidSyntax("The request body is empty; a JSON object is required");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    // Only the position: V8's message quotes the start of the body, which may hold a password, and the
    // detail is shown in the provisioning log.
    const position = /at position (\d+)/.exec((e as Error).message)?.[1];
    throw ScimError.invalidSyntax(`The request body is not valid JSON${position ? ` (error at position ${position})` : ""}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw ScimError.invalidSyntax("The request body must be a JSON object");
  }
  return parsed as Record<string, unknown>;
}

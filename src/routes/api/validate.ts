/**
 * zod validation for the admin API through @hono/zod-validator, with failures rendered as our
 * `{ error: { code, message, field } }` body (the first issue names the field).
 */
import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { ZodType } from "zod";
import { ApiError } from "./errors";

export function validate<Target extends keyof ValidationTargets, Schema extends ZodType>(target: Target, schema: Schema) {
  return zValidator(target, schema, (result) => {
    if (!result.success) {
      const issue = result.error.issues[0];
      // A key a strict object does not allow is named as the field itself.
      const path = issue?.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : (issue?.path ?? []);
      const field = path.length ? path.join(".") : undefined;
      throw ApiError.badRequest(issue ? `${field ?? target}: ${issue.message}` : "Invalid request", field);
    }
  });
}

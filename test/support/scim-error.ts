import { ScimError } from "../../src/scim/errors";

/** The ScimError `fn` throws; fails the test if it throws something else or nothing. */
export function scimErrorOf(fn: () => unknown): ScimError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimError) return e;
    throw e;
  }
  throw new Error("expected a ScimError, but nothing was thrown");
}

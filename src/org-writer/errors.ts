/** The domain errors the OrgWriter answers with, shared by its single writes and Bulk requests. */
import { ScimError } from "../scim/errors";

export const groupNotFound = (groupId: string) => ScimError.notFound(`Group ${groupId} not found`);

export const userNotFound = (userId: string) => ScimError.notFound(`User ${userId} not found`);

export const groupNameTaken = () => ScimError.conflict("A group with this displayName already exists");

/** Members must be users of the organization; names the first few that are not. */
export function unknownMembersError(unknownIds: string[]): ScimError {
  const shown = unknownIds
    .slice(0, 5)
    .map((id) => JSON.stringify(id.length > 64 ? `${id.slice(0, 61)}...` : id))
    .join(", ");
  const more = unknownIds.length > 5 ? ` and ${unknownIds.length - 5} more` : "";
  return ScimError.invalidValue(
    `Members must be users of this organization; unknown: ${shown}${more}`,
    // The log keeps this one: the ids are body values (issue 16, finding 3).
    `Members must be users of this organization; ${unknownIds.length} unknown`,
  );
}

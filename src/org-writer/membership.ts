/**
 * Plans a group's membership change without reading the group's member list.
 *
 * The writer reads, for only the ids a request names, whether each is a user of the org and whether
 * it is already a member (one json_each query), plus the group's maintained member_count. Simulating
 * the request's ops over that small set is enough to know exactly which rows to insert and delete,
 * the new member count, and whether anything changed at all (Entra re-sends `Add` for present
 * members; such a request must not bump meta.version).
 */

import type { MemberOp } from "../scim/resource/group";

export type { MemberOp };
import type { MemberState } from "../db/writer-reads";

/** Whether an id is a user of the org and a member of the group, as the writer read it. */
export type { MemberState };

export interface MembershipPlan {
  /** Ids named by add/replace that are not users of this org: the request must be refused. */
  unknownIds: string[];
  /** Delete every current member first (a replace or a remove of all members happened). */
  clearAll: boolean;
  toInsert: string[];
  toDelete: string[];
  memberCount: number;
  changed: boolean;
}

/** Every id the ops name, each once, for the pre-read. */
export function referencedIds(ops: MemberOp[]): string[] {
  const ids = new Set<string>();
  for (const op of ops) if (op.kind !== "removeAll") for (const id of op.ids) ids.add(id);
  return [...ids];
}

export function planMembership(ops: MemberOp[], states: Map<string, MemberState>, memberCount: number): MembershipPlan {
  const unknown = new Set<string>();
  // Final membership of the referenced ids; members not referenced stay unless `clearAll`.
  const member = new Map<string, boolean>();
  for (const [id, s] of states) member.set(id, s.isMember);
  let clearAll = false;

  for (const op of ops) {
    if (op.kind === "removeAll" || op.kind === "replace") {
      clearAll = true;
      for (const id of member.keys()) member.set(id, false);
    }
    if (op.kind === "add" || op.kind === "replace") {
      for (const id of op.ids) {
        if (!states.get(id)?.isUser) unknown.add(id);
        else member.set(id, true);
      }
    }
    if (op.kind === "remove") for (const id of op.ids) member.set(id, false);
  }

  const initiallyMembers = [...states].filter(([, s]) => s.isMember).map(([id]) => id);
  const finalMembers = [...member].filter(([, m]) => m).map(([id]) => id);
  if (clearAll) {
    // Delete everything, then insert the final set; unreferenced members are gone.
    const unchanged =
      finalMembers.length === memberCount && finalMembers.every((id) => states.get(id)?.isMember === true);
    return {
      unknownIds: [...unknown],
      clearAll: !unchanged,
      toInsert: unchanged ? [] : finalMembers,
      toDelete: [],
      memberCount: finalMembers.length,
      changed: !unchanged,
    };
  }
  const toInsert = finalMembers.filter((id) => !states.get(id)?.isMember);
  const toDelete = initiallyMembers.filter((id) => !member.get(id));
  return {
    unknownIds: [...unknown],
    clearAll: false,
    toInsert,
    toDelete,
    memberCount: memberCount + toInsert.length - toDelete.length,
    changed: toInsert.length > 0 || toDelete.length > 0,
  };
}

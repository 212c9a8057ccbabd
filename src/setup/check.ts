/**
 * Checking a setup link without using it, so the setup page can say at once whether the link still
 * works (and who is asking) instead of after the person chose a passphrase. It answers exactly what a
 * completion would refuse with, plus the org's name for a link that exists; nothing is written.
 */
import { findLinkForCheck } from "../db/account-setup";
import type { Db } from "../db/client";
import { sha256Hex } from "../lib/crypto";
import { refusalOf, type LinkRefusal } from "./complete";

export type LinkCheck = { state: "valid" | LinkRefusal; orgName: string | null };

export async function checkSetupLink(db: Db, token: string, now: number): Promise<LinkCheck> {
  const link = await findLinkForCheck(db, await sha256Hex(token));
  if (!link) return { state: "unknown", orgName: null };
  return { state: refusalOf(link, now) ?? "valid", orgName: link.orgName };
}

/**
 * OrgWriter: one Durable Object per organization (`idFromName(orgId)`) through which group writes,
 * membership writes and user deletion are applied one at a time. Declared by the foundation so that
 * the binding and its migration exist from the first deploy; the Groups resource gives it its methods.
 */
import { DurableObject } from "cloudflare:workers";
import type { Env } from "../env";

export class OrgWriter extends DurableObject<Env> {}

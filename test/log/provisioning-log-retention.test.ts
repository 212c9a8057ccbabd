// Retention of the provisioning log: 7 days or 10,000 entries per org, whichever is smaller. In its own
// file (own storage), because the scheduled clean-up works across every org's rows.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { LOG_MAX_AGE_MS, LOG_MAX_ENTRIES } from "../../src/provisioning-log/retention";
import { admin, manualClock, newScimOrg, viaApp } from "../support/helpers";

const MINUTE = 60_000;

/** Inserts `count` entries for the org straight into D1, paths /seed/1 … /seed/count, oldest first. */
async function seed(orgId: string, count: number, at: number) {
  await env.DB.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?1)
     INSERT INTO scim_log (org_id, at, method, path, status, status_class, duration_ms)
     SELECT ?2, ?3, 'GET', '/seed/' || i, 200, 2, 0 FROM n`,
  )
    .bind(count, orgId, at)
    .run();
}

async function paths(orgId: string): Promise<string[]> {
  const rows = await env.DB.prepare("SELECT path FROM scim_log WHERE org_id = ? ORDER BY id").bind(orgId).all<{ path: string }>();
  return rows.results.map((r) => r.path);
}

describe("provisioning log retention", () => {
  it("keeps an org's newest 10,000 entries on a pruning write, and leaves other orgs alone", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const org = await newScimOrg({ send });
    const other = await newScimOrg({ send });
    await seed(org.orgId, LOG_MAX_ENTRIES + 50, time.clock() - MINUTE);
    await seed(other.orgId, LOG_MAX_ENTRIES + 50, time.clock() - MINUTE);

    // The org's first write in this isolate prunes.
    await org.call("GET", "/ServiceProviderConfig");
    const kept = await paths(org.orgId);
    expect(kept).toHaveLength(LOG_MAX_ENTRIES);
    expect(kept[0]).toBe("/seed/52");
    expect(kept.at(-1)).toBe("/scim/v2/ServiceProviderConfig");
    expect(await paths(other.orgId)).toHaveLength(LOG_MAX_ENTRIES + 50);
  });

  it("drops entries older than 7 days on a pruning write", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const org = await newScimOrg({ send });
    await seed(org.orgId, 5, time.clock() - LOG_MAX_AGE_MS - MINUTE);
    await seed(org.orgId, 3, time.clock() - LOG_MAX_AGE_MS + MINUTE);
    await org.call("GET", "/Schemas");
    expect(await paths(org.orgId)).toEqual(["/seed/1", "/seed/2", "/seed/3", "/scim/v2/Schemas"]);
  });

  it("shows 7 days only, and the hourly cron removes what is older (and expired console sessions)", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const org = await newScimOrg({ send });
    await org.call("GET", "/Old");
    const signIn = await admin("POST", "/console/session", undefined, send);
    expect(signIn.status).toBe(201);
    time.advance(LOG_MAX_AGE_MS + MINUTE);
    await org.call("GET", "/New"); // not a pruning write: the org already wrote in this isolate

    const log = await admin("GET", `/orgs/${org.orgId}/scim/log`, undefined, send);
    expect(log.body.entries.map((e: any) => e.path)).toEqual(["/scim/v2/New"]);
    expect(await paths(org.orgId)).toEqual(["/scim/v2/Old", "/scim/v2/New"]);

    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: time.clock(), cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(await paths(org.orgId)).toEqual(["/scim/v2/New"]);
    const sessions = await env.DB.prepare("SELECT count(*) AS n FROM console_sessions").first<{ n: number }>();
    expect(sessions!.n).toBe(0);
  });
});

// Retention of the provisioning log: 7 days or 10,000 entries per org, whichever is smaller, kept by
// each org's own log object — on every write, and by its alarm for an org that stopped writing.
import { createExecutionContext, createScheduledController, env, runDurableObjectAlarm, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../src/index";
import { LOG_MAX_AGE_MS, LOG_MAX_ENTRIES, PRUNE_INTERVAL_MS } from "../../src/provisioning-log/retention";
import { admin, manualClock, newScimOrg, viaApp } from "../support/helpers";
import { inLogStorage, logObject, seedLog as seed, storedPaths as paths } from "../support/log-helpers";

const MINUTE = 60_000;

describe("provisioning log retention", () => {
  it("keeps an org's newest 10,000 entries on a write, and leaves other orgs alone", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const org = await newScimOrg({ send });
    const other = await newScimOrg({ send });
    await seed(org.orgId, LOG_MAX_ENTRIES + 50, time.clock() - MINUTE);
    await seed(other.orgId, LOG_MAX_ENTRIES + 50, time.clock() - MINUTE);

    await org.call("GET", "/ServiceProviderConfig");
    const kept = await paths(org.orgId);
    expect(kept).toHaveLength(LOG_MAX_ENTRIES);
    expect(kept[0]).toBe("/seed/52");
    expect(kept.at(-1)).toBe("/scim/v2/ServiceProviderConfig");
    expect(await paths(other.orgId)).toHaveLength(LOG_MAX_ENTRIES + 50);
  });

  it("drops entries older than 7 days on a write", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const org = await newScimOrg({ send });
    await seed(org.orgId, 5, time.clock() - LOG_MAX_AGE_MS - MINUTE);
    await seed(org.orgId, 3, time.clock() - LOG_MAX_AGE_MS + MINUTE);
    await org.call("GET", "/Schemas");
    expect(await paths(org.orgId)).toEqual(["/seed/1", "/seed/2", "/seed/3", "/scim/v2/Schemas"]);
  });

  it("shows 7 days only, and the org's alarm removes what is older while the org writes nothing", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const org = await newScimOrg({ send });
    await org.call("GET", "/Old");
    time.advance(LOG_MAX_AGE_MS - 10 * MINUTE);
    await org.call("GET", "/Recent");
    // The alarm is set for when /Old expires, on the requests' clock.
    const alarmAt = await inLogStorage(org.orgId, (_sql, state) => state.storage.getAlarm());
    expect(alarmAt).not.toBeNull();
    time.advance(11 * MINUTE); // /Old is now 7 days and a minute old; nothing is written

    const log = await admin("GET", `/orgs/${org.orgId}/scim/log`, undefined, send);
    expect(log.body.entries.map((e: any) => e.path)).toEqual(["/scim/v2/Recent"]);
    expect(await paths(org.orgId)).toEqual(["/scim/v2/Old", "/scim/v2/Recent"]);

    expect(await runDurableObjectAlarm(logObject(org.orgId))).toBe(true);
    expect(await paths(org.orgId)).toEqual(["/scim/v2/Recent"]);
    // Set again, for /Recent's expiry, at least PRUNE_INTERVAL_MS away (on the object's own clock).
    const next = await inLogStorage(org.orgId, (_sql, state) => state.storage.getAlarm());
    expect(next).toBeGreaterThanOrEqual(Date.now() + PRUNE_INTERVAL_MS - MINUTE);

    // Once /Recent expires too, the alarm empties the log and sets no further alarm.
    time.advance(LOG_MAX_AGE_MS);
    await admin("GET", `/orgs/${org.orgId}/scim/log`, undefined, send); // any call tells the log the time
    expect(await runDurableObjectAlarm(logObject(org.orgId))).toBe(true);
    expect(await paths(org.orgId)).toEqual([]);
    expect(await inLogStorage(org.orgId, (_sql, state) => state.storage.getAlarm())).toBeNull();
    // Ids keep growing after the log emptied: an old cursor never points into newer entries.
    await org.call("GET", "/Later");
    expect((await admin("GET", `/orgs/${org.orgId}/scim/log`, undefined, send)).body.entries.map((e: any) => e.id)).toEqual([3]);
  });

  it("the hourly cron leaves the log to the orgs' objects (and still removes expired console sessions)", async () => {
    const time = manualClock();
    const send = viaApp({ clock: time.clock });
    const org = await newScimOrg({ send });
    await org.call("GET", "/Old");
    const signIn = await admin("POST", "/console/session", undefined, send);
    expect(signIn.status).toBe(201);
    time.advance(LOG_MAX_AGE_MS + MINUTE);

    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ scheduledTime: time.clock(), cron: "17 * * * *" }), env, ctx);
    await waitOnExecutionContext(ctx);
    const sessions = await env.DB.prepare("SELECT count(*) AS n FROM console_sessions").first<{ n: number }>();
    expect(sessions!.n).toBe(0);
    expect(await paths(org.orgId)).toEqual(["/scim/v2/Old"]); // the object's alarm will remove it
  });
});

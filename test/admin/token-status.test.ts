// Issue 17, the connection status card's data: per SCIM token, the latest request (time, User-Agent,
// provider recognised), requests and errors in the last 24 hours from hourly counters (not counted
// from the capped log), and the latest error. The counters live in the org's ProvisioningLog object,
// written in the log's append transaction and pruned by it and by its alarm. Time moves by the
// injected clock; viaApp waits for the after-response work, so the counters are written on return.
import { env, runDurableObjectAlarm } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { LOG_MAX_ENTRIES } from "../../src/provisioning-log/retention";
import { admin, BACKGROUND_BOOKKEEPING, countingD1, manualClock, scimClient, viaApp } from "../support/helpers";
import { inLogStorage, instrumentedLogs, logObject, rawLogRows, seedLog } from "../support/log-helpers";

const HOUR = 3_600_000;
const T0 = Date.UTC(2030, 2, 1, 9, 30);

async function orgWithTokens(send: ReturnType<typeof viaApp>, ...descriptions: string[]) {
  const org = (await admin("POST", "/orgs", { name: "Status" }, send)).body;
  await admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true }, send);
  const clients = [];
  for (const description of descriptions) {
    const minted = (await admin("POST", `/orgs/${org.id}/scim/tokens`, { description, ttlDays: 0 }, send)).body;
    clients.push(scimClient(org.id, minted.token, minted.id, minted.scimUrl, send));
  }
  const statuses = async () => {
    const { tokens } = (await admin("GET", `/orgs/${org.id}/scim/tokens`, undefined, send)).body;
    return Object.fromEntries(tokens.map((t: any) => [t.description, t.status]));
  };
  return { orgId: org.id as string, clients, statuses };
}

describe("connection status per token", () => {
  it("counts each token's requests and errors, names the provider and keeps the latest error", async () => {
    const time = manualClock(T0);
    const send = viaApp({ clock: time.clock });
    const { clients, statuses } = await orgWithTokens(send, "Okta", "Entra", "Unused");
    const [okta, entra] = clients;
    const oktaAgent = { "User-Agent": "Okta SCIM Client 1.0.0" };

    expect((await okta.call("GET", "/Users", undefined, oktaAgent)).status).toBe(200);
    time.advance(1_000);
    expect((await okta.call("GET", "/Users/nobody", undefined, oktaAgent)).status).toBe(404);
    time.advance(1_000);
    const refused = await okta.call("POST", "/Users", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"] }, oktaAgent);
    expect(refused.status).toBe(400);
    const errorAt = T0 + 2_000;
    time.advance(1_000);
    expect((await okta.call("GET", "/Groups", undefined, oktaAgent)).status).toBe(200);
    // Entra ID's provisioning service is recognised by its header, whatever its User-Agent.
    expect((await entra.call("GET", "/Users", undefined, { "User-Agent": "Go-http-client/1.1", Adscimversion: "2.0" })).status).toBe(200);

    const all = await statuses();
    expect(all.Okta).toEqual({
      lastRequest: { at: new Date(T0 + 3_000).toISOString(), userAgent: "Okta SCIM Client 1.0.0", provider: "Okta" },
      last24h: { requests: 4, errors: 2 },
      lastError: { at: new Date(errorAt).toISOString(), status: 400, scimType: refused.body.scimType ?? null, detail: expect.any(String) },
    });
    expect(all.Okta.lastError.detail).toMatch(/userName/);
    expect(all.Entra).toEqual({
      lastRequest: { at: new Date(T0 + 3_000).toISOString(), userAgent: "Go-http-client/1.1", provider: "Microsoft Entra ID" },
      last24h: { requests: 1, errors: 0 },
      lastError: null,
    });
    expect(all.Unused).toEqual({ lastRequest: null, last24h: { requests: 0, errors: 0 }, lastError: null });
  });

  it("counts the requests of a revoked token as errors, with the refusal as its latest error", async () => {
    const time = manualClock(T0);
    const send = viaApp({ clock: time.clock });
    const { orgId, clients, statuses } = await orgWithTokens(send, "Old");
    await admin("DELETE", `/orgs/${orgId}/scim/tokens/${clients[0].tokenId}`, undefined, send);
    time.advance(60_000);
    expect((await clients[0].call("GET", "/Users")).status).toBe(401);
    const { Old } = await statuses();
    expect(Old.last24h).toEqual({ requests: 1, errors: 1 });
    expect(Old.lastError).toMatchObject({ status: 401, detail: "The SCIM token has been revoked" });
  });

  it("sums the last 24 hourly buckets only, and the log object's appends and alarm drop older ones", async () => {
    const time = manualClock(T0);
    const send = viaApp({ clock: time.clock });
    const { orgId, clients, statuses } = await orgWithTokens(send, "JumpCloud");
    const [jumpcloud] = clients;
    await jumpcloud.call("GET", "/Users/missing"); // 09:30, an error
    time.set(T0 + 2 * HOUR); // 11:30
    await jumpcloud.call("GET", "/Users");
    await jumpcloud.call("GET", "/Users");

    const at = async (now: number) => {
      time.set(now);
      return (await statuses()).JumpCloud.last24h;
    };
    // At 08:59 the next day the 09:00 bucket is one of the last 24 (09:00 … 08:00); at 09:00 it is not.
    expect(await at(Date.UTC(2030, 2, 2, 8, 59))).toEqual({ requests: 3, errors: 1 });
    expect(await at(Date.UTC(2030, 2, 2, 9, 0))).toEqual({ requests: 2, errors: 0 });
    expect(await at(Date.UTC(2030, 2, 2, 11, 0))).toEqual({ requests: 0, errors: 0 });
    // The latest request and error outlive their buckets.
    const status = (await statuses()).JumpCloud;
    expect(status.lastRequest.at).toBe(new Date(T0 + 2 * HOUR).toISOString());
    expect(status.lastError).toMatchObject({ at: new Date(T0).toISOString(), status: 404 });

    const buckets = () =>
      inLogStorage(orgId, (sql) =>
        sql
          .exec<{ hour: number }>("SELECT hour FROM token_hours WHERE token_id = ? ORDER BY hour", jumpcloud.tokenId)
          .toArray()
          .map((row) => row.hour),
      );
    // Reading the status prunes nothing: the stale bucket is only left out of the sum.
    expect(await buckets()).toEqual([Date.UTC(2030, 2, 1, 9), Date.UTC(2030, 2, 1, 11)]);
    // A request at 09:10 the next day: its append drops the 09:00 bucket of the day before.
    time.set(Date.UTC(2030, 2, 2, 9, 10));
    await jumpcloud.call("GET", "/Users");
    expect(await buckets()).toEqual([Date.UTC(2030, 2, 1, 11), Date.UTC(2030, 2, 2, 9)]);
    // The org goes quiet; at 11:30 (the object learns the time from any call) its alarm drops 11:00.
    time.set(Date.UTC(2030, 2, 2, 11, 30));
    expect((await statuses()).JumpCloud.last24h).toEqual({ requests: 1, errors: 0 });
    expect(await runDurableObjectAlarm(logObject(orgId))).toBe(true);
    expect(await buckets()).toEqual([Date.UTC(2030, 2, 2, 9)]);
    // No D1 table holds them, and the hourly Cron Trigger has nothing to do for them.
    const tables = await env.DB.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE '%token_hours%'").all();
    expect(tables.results).toEqual([]);
  });

  it("counts a rate-limited flood's refusals that the log samples away, once the log records the next one", async () => {
    const time = manualClock(T0);
    const send = viaApp({ clock: time.clock });
    const { orgId, clients, statuses } = await orgWithTokens(send, "Flood");
    await admin("PUT", `/orgs/${orgId}/rate-limits`, { level: "restricted" }, send);
    const answered: number[] = [];
    for (let i = 0; i < 25; i++) answered.push((await clients[0].call("GET", "/Users?count=1")).status);
    expect(answered).toContain(429);
    // The log records one 429 per 10 s (by the injected clock); the next one it records carries the
    // count of those it did not, and the counters add them. (The budget itself runs on real time, so
    // send until one is refused.)
    time.advance(11_000);
    let status = 0;
    while (status !== 429 && answered.length < 100) {
      status = (await clients[0].call("GET", "/Users?count=1")).status;
      answered.push(status);
    }
    expect(status).toBe(429);
    const refusedCount = answered.filter((s) => s === 429).length;
    const { Flood } = await statuses();
    expect(Flood.last24h).toEqual({ requests: answered.length, errors: refusedCount });
    const logged = (await admin("GET", `/orgs/${orgId}/scim/log?status=4xx&limit=200`, undefined, send)).body.entries;
    expect(logged.length).toBeLessThan(refusedCount);
  });

  it("is kept by token, not by the log: the counts survive the log's cap", async () => {
    const time = manualClock(T0);
    const send = viaApp({ clock: time.clock });
    const { orgId, clients, statuses } = await orgWithTokens(send, "Google");
    await clients[0].call("GET", "/Users");
    await clients[0].call("GET", "/Users/gone");
    // A full log: the next write keeps the newest 10,000 entries, which pushes out both requests.
    await seedLog(orgId, LOG_MAX_ENTRIES, T0);
    await clients[0].call("GET", "/Groups");
    const paths = (await rawLogRows(orgId)).map((r) => r.path);
    expect(paths).toHaveLength(LOG_MAX_ENTRIES);
    expect(paths).not.toContain("/scim/v2/Users/gone");
    expect((await statuses()).Google.last24h).toEqual({ requests: 3, errors: 1 });
  });

  it("costs a request no D1 write and the tokens list one call to the log object, beside its D1 query", async () => {
    const time = manualClock(T0);
    const counting = countingD1(env.DB, { ignore: null });
    const logs = instrumentedLogs();
    const send = viaApp({ clock: time.clock, env: { DB: counting.d1, PROVISIONING_LOG: logs.binding } });
    const { orgId, clients, statuses } = await orgWithTokens(send, "OneLogin");
    counting.reset();
    logs.reset();
    expect((await clients[0].call("GET", "/Users/nobody")).status).toBe(404);
    // The request's after-response work: its log entry, counted in the same append (one RPC), and
    // D1's bookkeeping (lastUsedAt), nothing about the counters.
    expect(logs.calls).toEqual([{ method: "append", name: orgId, entries: 1 }]);
    const writes = counting.log.statements.filter((s) => /^\s*(insert|update|delete)\b/i.test(s));
    expect(writes.every((s) => BACKGROUND_BOOKKEEPING.test(s))).toBe(true);

    logs.reset();
    expect((await statuses()).OneLogin.last24h).toEqual({ requests: 1, errors: 1 });
    expect(logs.calls).toEqual([{ method: "tokenStatuses", name: orgId }]);
  });
});

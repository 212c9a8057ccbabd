/**
 * The delivery engine (src/events/delivery.ts): one Durable Object per endpoint, events in sequence
 * order, Standard Webhooks signatures and SCIM SETs, the retry schedule (WEBHOOK_RETRY_DELAYS is
 * "60,120,240" in the tests: four attempts), the dead letter and its redelivery, two endpoints of
 * which one fails, and the sweeper. Time moves through the objects' injected clock; alarms are run
 * with runDurableObjectAlarm.
 */
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from "cloudflare:test";
import { jwtVerify, decodeProtectedHeader } from "jose";
import { describe, expect, it } from "vitest";
import { insertEventsStatements } from "../../src/db/events";
import { sweepWebhooks } from "../../src/events/sweeper";
import worker from "../../src/index";
import { admin, newScimOrg } from "../support/helpers";
import { createUser, patchBody } from "../support/user-helpers";
import { attachReceiver, fakeReceiver, fireAlarmAfter, newWebhook, poke, send, standardWebhookValid, testClock } from "./support";

const MINUTE = 60_000;

async function cursorOf(webhookId: string): Promise<number> {
  return (await env.DB.prepare("SELECT cursor FROM webhooks WHERE id = ?").bind(webhookId).first<{ cursor: number }>())!.cursor;
}

async function deliveriesOf(orgId: string, eventId: string) {
  const res = await admin("GET", `/orgs/${orgId}/events/${eventId}/deliveries`, undefined, send);
  expect(res.status).toBe(200);
  return res.body.deliveries as { webhookId: string; status: string; attempts: number; lastStatus: number | null; lastError: string | null; lastAttemptAt: string | null; nextAttemptAt: string | null }[];
}

async function pulled(orgId: string) {
  return (await admin("GET", `/orgs/${orgId}/events`, undefined, send)).body.events as { id: string; type: string; sequence: number }[];
}

describe("webhook delivery", () => {
  it("delivers each event after the write, signed the Standard Webhooks way, as the pull API shows it", async () => {
    const org = await newScimOrg({ send });
    const hook = await newWebhook(org.orgId, { url: "https://hooks.example.com/in" });
    const receiver = fakeReceiver();
    const clock = testClock();
    await attachReceiver(hook.id, receiver, clock);

    const user = await createUser(org, { userName: "ada@example.com" });
    await org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "active", value: false }));

    // The hand-off after each write delivered them (the test's app waits for after-response work).
    expect(receiver.received).toHaveLength(2);
    const events = await pulled(org.orgId);
    expect(receiver.events()).toEqual(events);
    expect(receiver.events().map((e) => e.type)).toEqual(["user.created", "user.deactivated"]);
    for (const request of receiver.received) {
      expect(request.url).toBe("https://hooks.example.com/in");
      expect(request.headers.get("content-type")).toBe("application/json");
      expect(request.headers.get("webhook-id")).toBe(JSON.parse(request.body).id);
      expect(request.headers.get("webhook-timestamp")).toBe(String(Math.floor(clock.now / 1000)));
      expect(await standardWebhookValid(hook.secret, request.headers, request.body)).toBe(true);
      // A tampered body or a replayed id with another timestamp does not verify.
      expect(await standardWebhookValid(hook.secret, request.headers, request.body.replace("ada", "eve"))).toBe(false);
    }
    expect(await cursorOf(hook.id)).toBe(events[1].sequence);

    const list = await admin("GET", `/orgs/${org.orgId}/webhooks`, undefined, send);
    expect(list.body.webhooks[0].lastDelivery).toEqual({
      eventId: events[1].id,
      sequence: events[1].sequence,
      status: "delivered",
      httpStatus: 200,
      at: new Date(clock.now).toISOString(),
    });
    expect(await deliveriesOf(org.orgId, events[0].id)).toEqual([
      { webhookId: hook.id, url: hook.url, status: "delivered", attempts: 1, lastStatus: 200, lastError: null, lastAttemptAt: new Date(clock.now).toISOString(), nextAttemptAt: null },
    ]);
  });

  it("sends SCIM Security Event Tokens to format \"set\" endpoints", async () => {
    const org = await newScimOrg({ send });
    const hook = await newWebhook(org.orgId, { url: "https://hooks.example.com/set", format: "set" });
    const receiver = fakeReceiver();
    const clock = testClock();
    await attachReceiver(hook.id, receiver, clock);

    const user = await createUser(org, { userName: "grace@example.com", externalId: "ext-grace" });
    const group = await org.call("POST", "/Groups", { schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"], displayName: "Ops" });
    await org.call("PATCH", `/Groups/${group.body.id}`, patchBody({ op: "add", path: "members", value: [{ value: user.id }] }));
    await org.call("PATCH", `/Users/${user.id}`, patchBody({ op: "replace", path: "active", value: false }));
    await org.call("DELETE", `/Users/${user.id}`);

    const events = await pulled(org.orgId);
    expect(events.map((e) => e.type)).toEqual(["user.created", "group.created", "group.user_added", "user.deactivated", "group.user_removed", "user.deleted"]);
    expect(receiver.received).toHaveLength(events.length);
    const key = Uint8Array.from(atob(hook.secret.slice("whsec_".length)), (c) => c.charCodeAt(0));
    const sets = [];
    for (const request of receiver.received) {
      expect(request.headers.get("content-type")).toBe("application/secevent+jwt");
      expect(decodeProtectedHeader(request.body)).toEqual({ alg: "HS256", typ: "secevent+jwt" });
      const { payload } = await jwtVerify(request.body, key, { issuer: "https://scim.test", audience: hook.url, typ: "secevent+jwt", algorithms: ["HS256"] });
      sets.push(payload as any);
    }
    expect(sets.map((s) => s.jti)).toEqual(events.map((e) => e.id));
    expect(sets.every((s, i) => s.txn === events[i].id && s.iat === Math.floor(clock.now / 1000))).toBe(true);

    const [created, groupCreated, added, deactivated, removed, deleted] = sets;
    expect(created.sub_id).toEqual({ format: "scim", uri: `/Users/${user.id}`, externalId: "ext-grace" });
    const createFull = created.events["urn:ietf:params:scim:event:prov:create:full"];
    expect(createFull.data).toMatchObject({ id: user.id, userName: "grace@example.com" });
    expect(createFull.version).toBe(createFull.data.meta.version);
    expect(Object.keys(groupCreated.events)).toEqual(["urn:ietf:params:scim:event:prov:create:full"]);
    expect(groupCreated.sub_id).toEqual({ format: "scim", uri: `/Groups/${group.body.id}` });
    expect(added.sub_id).toEqual({ format: "scim", uri: `/Groups/${group.body.id}` });
    expect(added.events["urn:ietf:params:scim:event:prov:patch:full"].data).toEqual({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [{ op: "add", path: "members", value: [{ value: user.id, display: "grace@example.com" }] }],
    });
    expect(Object.keys(deactivated.events).sort()).toEqual(["urn:ietf:params:scim:event:prov:deactivate", "urn:ietf:params:scim:event:prov:put:full"]);
    expect(deactivated.events["urn:ietf:params:scim:event:prov:deactivate"]).toEqual({});
    expect(removed.events["urn:ietf:params:scim:event:prov:patch:full"].data.Operations).toEqual([{ op: "remove", path: `members[value eq "${user.id}"]` }]);
    expect(deleted.events).toEqual({ "urn:ietf:params:scim:event:prov:delete": {} });
  });

  it("retries on the schedule, then dead-letters the event, moves on, and redelivers it on request", async () => {
    const org = await newScimOrg({ send });
    const hook = await newWebhook(org.orgId, { url: "https://hooks.example.com/in" });
    const receiver = fakeReceiver(() => 500);
    const clock = testClock();
    await attachReceiver(hook.id, receiver, clock);
    const start = clock.now;

    await createUser(org, { userName: "first@example.com" });
    const [first] = await pulled(org.orgId);
    expect(receiver.received).toHaveLength(1);
    let [delivery] = await deliveriesOf(org.orgId, first.id);
    expect(delivery).toMatchObject({ status: "retrying", attempts: 1, lastStatus: 500, lastError: "HTTP 500", nextAttemptAt: new Date(start + MINUTE).toISOString() });

    // A later event waits behind it; a poke before the retry is due sends nothing.
    await createUser(org, { userName: "second@example.com" });
    await poke(hook.id);
    expect(receiver.received).toHaveLength(1);
    const second = (await pulled(org.orgId))[1];
    expect((await deliveriesOf(org.orgId, second.id))[0].status).toBe("pending");

    // 60 s, 120 s, 240 s: attempts 2, 3, 4; the fourth is the last.
    expect(await fireAlarmAfter(hook.id, clock, MINUTE)).toBe(true);
    [delivery] = await deliveriesOf(org.orgId, first.id);
    expect(delivery).toMatchObject({ status: "retrying", attempts: 2, nextAttemptAt: new Date(clock.now + 2 * MINUTE).toISOString() });
    expect(await fireAlarmAfter(hook.id, clock, 2 * MINUTE)).toBe(true);
    [delivery] = await deliveriesOf(org.orgId, first.id);
    expect(delivery).toMatchObject({ status: "retrying", attempts: 3, nextAttemptAt: new Date(clock.now + 4 * MINUTE).toISOString() });

    receiver.answer = (r) => (JSON.parse(r.body).id === first.id ? 500 : 200);
    expect(await fireAlarmAfter(hook.id, clock, 4 * MINUTE)).toBe(true);
    [delivery] = await deliveriesOf(org.orgId, first.id);
    expect(delivery).toMatchObject({ status: "failed", attempts: 4, lastStatus: 500, nextAttemptAt: null });
    // The endpoint moved on: the second event went out right after the dead letter.
    expect(receiver.events().map((e) => e.id)).toEqual([first.id, first.id, first.id, first.id, second.id]);
    expect((await deliveriesOf(org.orgId, second.id))[0]).toMatchObject({ status: "delivered", attempts: 1 });
    expect(await cursorOf(hook.id)).toBe(second.sequence);
    expect((await admin("GET", `/orgs/${org.orgId}/webhooks`, undefined, send)).body.webhooks[0].lastDelivery.status).toBe("delivered");

    // Redelivery of the dead letter: queued, then sent when the object is woken.
    receiver.answer = () => 200;
    const redelivered = await admin("POST", `/orgs/${org.orgId}/events/${first.id}/redeliver`, { webhookId: hook.id }, send);
    expect(redelivered.status).toBe(202);
    expect(redelivered.body).toEqual({ queued: 1 });
    expect(receiver.events().map((e) => e.id).at(-1)).toBe(first.id);
    expect((await deliveriesOf(org.orgId, first.id))[0]).toMatchObject({ status: "delivered", attempts: 1, lastStatus: 200 });
    expect(await cursorOf(hook.id)).toBe(second.sequence);

    expect((await admin("POST", `/orgs/${org.orgId}/events/nope/redeliver`, {}, send)).status).toBe(404);
    expect((await admin("POST", `/orgs/${org.orgId}/events/${first.id}/redeliver`, { webhookId: "nope" }, send)).status).toBe(404);
    expect((await admin("GET", `/orgs/${org.orgId}/events/nope/deliveries`, undefined, send)).status).toBe(404);
  });

  it("keeps each endpoint's order: a failing endpoint holds back only its own later events", async () => {
    const org = await newScimOrg({ send });
    const other = await newScimOrg({ send });
    const failing = await newWebhook(org.orgId, { url: "https://down.example.com/in" });
    const healthy = await newWebhook(org.orgId, { url: "https://up.example.com/in" });
    const elsewhere = await newWebhook(other.orgId, { url: "https://down.example.com/in" });
    const clock = testClock();
    const down = fakeReceiver(() => 502);
    const up = fakeReceiver();
    const otherReceiver = fakeReceiver();
    await attachReceiver(failing.id, down, clock);
    await attachReceiver(healthy.id, up, clock);
    await attachReceiver(elsewhere.id, otherReceiver, clock);

    for (const name of ["a", "b", "c"]) {
      await createUser(org, { userName: `${name}@example.com` });
      await createUser(other, { userName: `${name}@example.com` });
    }
    const events = await pulled(org.orgId);
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3]);
    expect(up.events().map((e) => e.id)).toEqual(events.map((e) => e.id));
    expect(otherReceiver.events().map((e) => e.sequence)).toEqual([1, 2, 3]);
    // The failing endpoint got its first event only, once per attempt so far.
    expect(new Set(down.events().map((e) => e.id))).toEqual(new Set([events[0].id]));

    // It recovers at its next retry: everything arrives, in order.
    down.answer = () => 204;
    expect(await fireAlarmAfter(failing.id, clock, MINUTE)).toBe(true);
    const ids = down.events().map((e) => e.id);
    expect(ids.filter((id, i) => id !== ids[i - 1])).toEqual(events.map((e) => e.id));
    expect(await cursorOf(failing.id)).toBe(3);
    expect(await cursorOf(healthy.id)).toBe(3);
  });

  it("the sweeper delivers events whose hand-off never happened, and skips what an endpoint's filter leaves out", async () => {
    const org = await newScimOrg({ send });
    const all = await newWebhook(org.orgId, { url: "https://hooks.example.com/all" });
    const deletions = await newWebhook(org.orgId, { url: "https://hooks.example.com/deleted", eventTypes: ["user.deleted"] });
    const clock = testClock();
    const allReceiver = fakeReceiver();
    const deletionReceiver = fakeReceiver();
    await attachReceiver(all.id, allReceiver, clock);
    await attachReceiver(deletions.id, deletionReceiver, clock);

    // Committed events with no hand-off after them (as if the Worker died right after the commit).
    const data = JSON.stringify({ resource: { id: "u1" } });
    await env.DB.batch(
      insertEventsStatements(env.DB, org.orgId, clock.now, [
        { id: "a".repeat(32), type: "user.created", data },
        { id: "b".repeat(32), type: "user.deleted", data },
        { id: "c".repeat(32), type: "user.created", data },
      ]),
    );
    expect(allReceiver.received).toHaveLength(0);

    expect(await sweepWebhooks(env, clock.now)).toBe(2);
    expect(allReceiver.events().map((e) => e.id)).toEqual(["a", "b", "c"].map((c) => c.repeat(32)));
    expect(deletionReceiver.events().map((e) => e.id)).toEqual(["b".repeat(32)]);
    // Both are at the end of the stream now (the filtered one past the events it does not take).
    expect(await cursorOf(all.id)).toBe(3);
    expect(await cursorOf(deletions.id)).toBe(3);
    expect(await sweepWebhooks(env, clock.now)).toBe(0);
    // An event its filter leaves out is not listed among its deliveries.
    expect((await deliveriesOf(org.orgId, "a".repeat(32))).map((d) => d.webhookId)).toEqual([all.id]);
  });

  it("the every-minute Cron Trigger runs the sweeper", async () => {
    const org = await newScimOrg({ send });
    const hook = await newWebhook(org.orgId, { url: "https://hooks.example.com/in" });
    const receiver = fakeReceiver();
    const clock = testClock();
    await attachReceiver(hook.id, receiver, clock);
    await env.DB.batch(insertEventsStatements(env.DB, org.orgId, clock.now, [{ id: "d".repeat(32), type: "user.created", data: "{}" }]));
    const ctx = createExecutionContext();
    worker.scheduled(createScheduledController({ cron: "* * * * *", scheduledTime: new Date(clock.now) }), env, ctx);
    await waitOnExecutionContext(ctx);
    expect(receiver.events().map((e) => e.id)).toEqual(["d".repeat(32)]);
  });

  it("starts a new endpoint at the end of the stream: it receives what happens after it was added", async () => {
    const org = await newScimOrg({ send });
    await createUser(org, { userName: "before@example.com" });
    const hook = await newWebhook(org.orgId, { url: "https://hooks.example.com/in" });
    const receiver = fakeReceiver();
    await attachReceiver(hook.id, receiver, testClock());
    expect(await cursorOf(hook.id)).toBe(1);
    await createUser(org, { userName: "after@example.com" });
    expect(receiver.events().map((e) => e.sequence)).toEqual([2]);
    const [before] = await pulled(org.orgId);
    expect(await deliveriesOf(org.orgId, before.id)).toEqual([]);
  });
});

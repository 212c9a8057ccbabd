/** The webhook endpoints' admin API: validation, the secret shown once, rotation, deletion, test events, the audit trail. */
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, newScimOrg, viaApp } from "../support/helpers";
import { attachReceiver, fakeReceiver, newWebhook, send, standardWebhookValid, testClock } from "./support";

describe("webhook endpoints API", () => {
  it("creates an endpoint and shows its whsec_ secret once", async () => {
    const org = await newScimOrg({ send });
    const created = await admin("POST", `/orgs/${org.orgId}/webhooks`, { url: "https://hooks.example.com/in", eventTypes: ["user.created"] }, send);
    expect(created.status).toBe(201);
    expect(created.headers.get("Cache-Control")).toContain("no-store");
    expect(created.body).toMatchObject({ url: "https://hooks.example.com/in", eventTypes: ["user.created"], format: "json" });
    expect(created.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Date.parse(created.body.createdAt)).not.toBeNaN();

    const list = await admin("GET", `/orgs/${org.orgId}/webhooks`, undefined, send);
    expect(list.status).toBe(200);
    expect(list.body.webhooks).toEqual([
      { id: created.body.id, url: "https://hooks.example.com/in", eventTypes: ["user.created"], format: "json", createdAt: created.body.createdAt, lastDelivery: null },
    ]);
    // Stored sealed: neither the answer of the list nor the row holds the secret.
    expect(JSON.stringify(list.body)).not.toContain(created.body.secret.slice(6, 20));
    const row = await env.DB.prepare("SELECT secret_sealed FROM webhooks WHERE id = ?").bind(created.body.id).first<{ secret_sealed: string }>();
    expect(row!.secret_sealed).toMatch(/^v1\./);
    expect(row!.secret_sealed).not.toContain(created.body.secret.slice(6));
  });

  it("refuses http: (the service does not run locally here), other schemes, unknown event types and formats", async () => {
    const org = await newScimOrg({ send });
    for (const [body, field] of [
      [{ url: "http://hooks.example.com/in" }, "url"],
      [{ url: "http://127.0.0.1:9999/in" }, "url"],
      [{ url: "ftp://hooks.example.com/in" }, "url"],
      [{ url: "not a url" }, "url"],
      [{ url: "https://user:pw@hooks.example.com/in" }, "url"],
      [{ url: "https://hooks.example.com/in", eventTypes: ["user.created", "user.exploded"] }, "eventTypes.1"],
      [{ url: "https://hooks.example.com/in", format: "xml" }, "format"],
      [{ url: "https://hooks.example.com/in", secret: "mine" }, "secret"],
    ] as const) {
      const res = await admin("POST", `/orgs/${org.orgId}/webhooks`, body, send);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.field, JSON.stringify(res.body)).toBe(field);
    }
    expect((await admin("POST", `/orgs/${org.orgId}/webhooks`, { url: "https://h.example.com" }, send)).status).toBe(201);
    expect((await admin("GET", `/orgs/${org.orgId}/webhooks`, undefined, send)).body.webhooks).toHaveLength(1);
  });

  it("accepts http://127.0.0.1 and http://localhost when the service runs locally", async () => {
    const local = viaApp({ env: { PUBLIC_ORIGIN: "http://127.0.0.1:8787" } });
    const org = await newScimOrg({ send: local });
    for (const url of ["http://127.0.0.1:9999/in", "http://localhost:9999/in"]) {
      expect((await admin("POST", `/orgs/${org.orgId}/webhooks`, { url }, local)).status).toBe(201);
    }
    expect((await admin("POST", `/orgs/${org.orgId}/webhooks`, { url: "http://hooks.example.com/in" }, local)).status).toBe(400);
  });

  it("answers 503 without WEBHOOK_SECRET_KEY, and 404 for an unknown org", async () => {
    const keyless = viaApp({ env: { WEBHOOK_SECRET_KEY: "" } });
    const org = await newScimOrg({ send: keyless });
    const res = await admin("POST", `/orgs/${org.orgId}/webhooks`, { url: "https://hooks.example.com/in" }, keyless);
    expect(res.status).toBe(503);
    expect(res.body.error.code).toBe("webhook_secret_key_missing");
    expect((await admin("POST", `/orgs/nope/webhooks`, { url: "https://hooks.example.com/in" }, send)).status).toBe(404);
  });

  it("rotates the secret (the next delivery signs with the new one) and deletes the endpoint", async () => {
    const org = await newScimOrg({ send });
    const hook = await newWebhook(org.orgId, { url: "https://hooks.example.com/in" });
    const receiver = fakeReceiver();
    await attachReceiver(hook.id, receiver, testClock());

    const rotated = await admin("POST", `/orgs/${org.orgId}/webhooks/${hook.id}/rotate-secret`, undefined, send);
    expect(rotated.status).toBe(200);
    expect(rotated.body.id).toBe(hook.id);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(hook.secret);

    const tested = await admin("POST", `/orgs/${org.orgId}/webhooks/${hook.id}/test`, undefined, send);
    expect(tested.body).toEqual({ delivered: true, status: 200 });
    const [request] = receiver.received;
    expect(await standardWebhookValid(rotated.body.secret, request.headers, request.body)).toBe(true);
    expect(await standardWebhookValid(hook.secret, request.headers, request.body)).toBe(false);

    expect((await admin("DELETE", `/orgs/${org.orgId}/webhooks/${hook.id}`, undefined, send)).status).toBe(204);
    expect((await admin("DELETE", `/orgs/${org.orgId}/webhooks/${hook.id}`, undefined, send)).status).toBe(404);
    expect((await admin("POST", `/orgs/${org.orgId}/webhooks/${hook.id}/rotate-secret`, undefined, send)).status).toBe(404);
    expect((await admin("GET", `/orgs/${org.orgId}/webhooks`, undefined, send)).body.webhooks).toEqual([]);
  });

  it("sends a webhook.test event outside the org's sequence and says how it went", async () => {
    const org = await newScimOrg({ send });
    const hook = await newWebhook(org.orgId, { url: "https://hooks.example.com/in" });
    const receiver = fakeReceiver(() => 200);
    await attachReceiver(hook.id, receiver, testClock());
    const ok = await admin("POST", `/orgs/${org.orgId}/webhooks/${hook.id}/test`, undefined, send);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ delivered: true, status: 200 });
    const [event] = receiver.events();
    expect(event).toMatchObject({ type: "webhook.test", orgId: org.orgId, sequence: 0, data: { webhookId: hook.id } });
    expect(receiver.received[0].headers.get("webhook-id")).toBe((event as { id: string }).id);

    receiver.answer = () => 503;
    const failed = await admin("POST", `/orgs/${org.orgId}/webhooks/${hook.id}/test`, undefined, send);
    expect(failed.body).toEqual({ delivered: false, status: 503, error: "HTTP 503" });
    // Not part of the stream: the pull API has no event.
    const pulled = await admin("GET", `/orgs/${org.orgId}/events`, undefined, send);
    expect(pulled.body.events.filter((e: { type: string }) => e.type === "webhook.test")).toEqual([]);
  });

  it("records every write in the audit trail", async () => {
    const org = await newScimOrg({ send });
    const hook = await newWebhook(org.orgId, { url: "https://hooks.example.com/in" });
    await attachReceiver(hook.id, fakeReceiver(), testClock());
    await admin("POST", `/orgs/${org.orgId}/webhooks/${hook.id}/rotate-secret`, undefined, send);
    await admin("POST", `/orgs/${org.orgId}/webhooks/${hook.id}/test`, undefined, send);
    await admin("DELETE", `/orgs/${org.orgId}/webhooks/${hook.id}`, undefined, send);
    const { results } = await env.DB.prepare("SELECT action, target_id AS targetId, detail FROM audit_log WHERE org_id = ? AND action LIKE 'webhook.%' ORDER BY id")
      .bind(org.orgId)
      .all<{ action: string; targetId: string; detail: string | null }>();
    expect(results.map((r) => r.action)).toEqual(["webhook.created", "webhook.secret_rotated", "webhook.tested", "webhook.deleted"]);
    expect(results.every((r) => r.targetId === hook.id)).toBe(true);
    expect(results.map((r) => r.detail ?? "").join("")).not.toContain("whsec_");
  });
});

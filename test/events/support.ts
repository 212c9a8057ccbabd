/**
 * Helpers of the webhook tests: a fake receiver that records what it is sent and answers what the
 * test says, the delivery object of an endpoint with that receiver and an injected clock, and an
 * independent implementation of the Standard Webhooks signature check (WebCrypto only, written from
 * the convention, sharing no code with src/events/signing.ts).
 */
import { env, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { expect } from "vitest";
import type { WebhookDelivery } from "../../src/events/delivery";
import { deliveryObject } from "../../src/events/webhooks";
import { admin, type Fetch, viaApp } from "../support/helpers";

export interface Received {
  url: string;
  headers: Headers;
  body: string;
}

export interface Receiver {
  received: Received[];
  /** The status to answer each request with (called per request); 200 by default. */
  answer: (request: Received) => number;
  fetch: typeof fetch;
  /** The bodies received, parsed as JSON (json-format endpoints). */
  events(): { id: string; type: string; sequence: number; data: any }[];
}

export function fakeReceiver(answer: (request: Received) => number = () => 200): Receiver {
  const receiver: Receiver = {
    received: [],
    answer,
    fetch: async (input, init) => {
      const request = new Request(input as string, init as RequestInit);
      const got = { url: request.url, headers: request.headers, body: new TextDecoder().decode(await request.arrayBuffer()) };
      receiver.received.push(got);
      return new Response(null, { status: receiver.answer(got) });
    },
    events: () => receiver.received.map((r) => JSON.parse(r.body)),
  };
  return receiver;
}

export interface TestClock {
  now: number;
  advance(ms: number): void;
}

export function testClock(start = Date.now()): TestClock {
  const clock = {
    now: start,
    advance(ms: number) {
      clock.now += ms;
    },
  };
  return clock;
}

export function deliveryStub(webhookId: string) {
  return deliveryObject(env, webhookId);
}

/** The endpoint's delivery object, sending to `receiver` on `clock`. Call before anything pokes it. */
export async function attachReceiver(webhookId: string, receiver: Receiver, clock: TestClock) {
  const stub = deliveryStub(webhookId);
  await runInDurableObject(stub, (object) => {
    const instance = object as unknown as WebhookDelivery;
    instance.fetcher = receiver.fetch;
    instance.clock = () => clock.now;
  });
  return stub;
}

/** Runs the endpoint's due deliveries now (what a hand-off or the sweeper does) and waits for them. */
export async function poke(webhookId: string): Promise<void> {
  await deliveryStub(webhookId).poke(webhookId);
}

/** Moves the clock and fires the endpoint's alarm (the retry), as the runtime would at that time. */
export async function fireAlarmAfter(webhookId: string, clock: TestClock, ms: number): Promise<boolean> {
  clock.advance(ms);
  return runDurableObjectAlarm(deliveryStub(webhookId));
}

/** The app with its after-response work (the hand-off) awaited, so tests see its deliveries. */
export const send: Fetch = viaApp();

export async function newWebhook(orgId: string, body: Record<string, unknown>, via: Fetch = send) {
  const res = await admin("POST", `/orgs/${orgId}/webhooks`, body, via);
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body as { id: string; url: string; eventTypes: string[] | null; format: string; secret: string; createdAt: string };
}

function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

/**
 * The Standard Webhooks check as a receiver does it: the HMAC-SHA256 of "{webhook-id}.{webhook-timestamp}.{body}"
 * under the base64-decoded part of the `whsec_` secret, compared with each space-separated `v1,` signature.
 */
export async function standardWebhookValid(secret: string, headers: Headers, body: string): Promise<boolean> {
  const id = headers.get("webhook-id");
  const timestamp = headers.get("webhook-timestamp");
  const signatures = headers.get("webhook-signature");
  if (!id || !timestamp || !signatures || !secret.startsWith("whsec_")) return false;
  const key = await crypto.subtle.importKey("raw", fromBase64(secret.slice("whsec_".length)), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const signed = new TextEncoder().encode(`${id}.${timestamp}.${body}`);
  for (const candidate of signatures.split(" ")) {
    const [version, signature] = candidate.split(",");
    if (version === "v1" && signature && (await crypto.subtle.verify("HMAC", key, fromBase64(signature), signed))) return true;
  }
  return false;
}

// Webhooks end to end: a real `wrangler dev` (its delivery Durable Objects, their alarms, D1) pushes an
// organization's events to a real HTTP receiver on 127.0.0.1 that fails its first answers and then is
// down for a while. Every event arrives, in order, with a valid signature, and a receiver that
// deduplicates by event id processes each exactly once. The retry delays of the e2e server are
// seconds (support/dev-server.ts WEBHOOK_RETRY_DELAYS). No timing is asserted: the test waits until
// everything arrived, under the project's timeout.
import { webcrypto } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, expect, it } from "vitest";
import { admin, CORE_USER, newScimOrg } from "./support/api";

const subtle = webcrypto.subtle;

interface Delivery {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  /** When it arrived (Date.now()). */
  at: number;
}

/** A receiver on 127.0.0.1 whose answer the test decides; `stop`/`start` take it down and back up on its port. */
class Receiver {
  deliveries: Delivery[] = [];
  answer: (d: Delivery) => number = () => 200;
  private server: Server | null = null;
  port = 0;

  async start(): Promise<void> {
    const server = createServer((req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const d = {
          id: String(req.headers["webhook-id"]),
          timestamp: String(req.headers["webhook-timestamp"]),
          signature: String(req.headers["webhook-signature"]),
          body: Buffer.concat(chunks).toString("utf8"),
          at: Date.now(),
        };
        this.deliveries.push(d);
        res.writeHead(this.answer(d)).end();
      });
    });
    await new Promise<void>((resolve) => server.listen(this.port, "127.0.0.1", resolve));
    this.port = (server.address() as AddressInfo).port;
    this.server = server;
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The Standard Webhooks check, as a receiver does it (WebCrypto; independent of the service's code). */
async function signatureValid(secret: string, d: Delivery): Promise<boolean> {
  const key = await subtle.importKey("raw", Buffer.from(secret.slice("whsec_".length), "base64"), { name: "HMAC", hash: "SHA-256" }, false, ["verify"]);
  const [version, mac] = d.signature.split(",");
  return version === "v1" && subtle.verify("HMAC", key, Buffer.from(mac, "base64"), new TextEncoder().encode(`${d.id}.${d.timestamp}.${d.body}`));
}

async function until(what: string, done: () => boolean | Promise<boolean>, timeoutMs = 50_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const receivers: Receiver[] = [];
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.stop()));
});

it("delivers every event in order, once per id to a deduplicating receiver, across failures and downtime", async () => {
  const receiver = new Receiver();
  receivers.push(receiver);
  await receiver.start();
  const org = await newScimOrg("Webhooks e2e");
  const hook = await admin("POST", `/orgs/${org.orgId}/webhooks`, { url: `http://127.0.0.1:${receiver.port}/hooks` });
  expect(hook.status, JSON.stringify(hook.body)).toBe(201);
  const secret: string = hook.body.secret;

  // The deduplicating receiver: it processes an id once, and answers 2xx again for a repeat.
  const processed: { id: string; sequence: number }[] = [];
  const seen = new Set<string>();
  let failuresLeft = 3;
  receiver.answer = (d) => {
    if (failuresLeft > 0) {
      failuresLeft--;
      return 503;
    }
    if (!seen.has(d.id)) {
      seen.add(d.id);
      processed.push({ id: d.id, sequence: JSON.parse(d.body).sequence });
    }
    return 200;
  };

  // Changes while the receiver fails its first answers...
  const ids: string[] = [];
  for (const name of ["ada", "grace", "edsger"]) {
    const created = await org.scim("POST", "/Users", { schemas: [CORE_USER], userName: `${name}@example.com`, active: true });
    expect(created.status).toBe(201);
    ids.push(created.body.id);
  }
  await until("the first failed attempts", () => receiver.deliveries.length >= 3);

  // ...and while it is down.
  await receiver.stop();
  const group = await org.scim("POST", "/Groups", {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:Group"],
    displayName: "Engineers",
    members: ids.map((value) => ({ value })),
  });
  expect(group.status).toBe(201);
  await org.scim("PATCH", `/Users/${ids[0]}`, {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
    Operations: [{ op: "replace", path: "active", value: false }],
  });
  await org.scim("DELETE", `/Users/${ids[1]}`);
  const pulled = (await admin("GET", `/orgs/${org.orgId}/events?limit=500`)).body.events as { id: string; sequence: number; type: string }[];
  expect(pulled.length).toBeGreaterThan(8);
  // Let at least one attempt meet the closed port (a network error, not an HTTP answer).
  await until("an attempt at the closed port", async () => {
    const [delivery] = (await admin("GET", `/orgs/${org.orgId}/events/${pulled[0].id}/deliveries`)).body.deliveries;
    return delivery?.lastStatus === null && delivery?.attempts >= 1 && delivery.lastError !== null;
  });

  await receiver.start(); // back, on the same port
  await until("every event", () => processed.length === pulled.length);

  expect(processed.map((p) => p.id)).toEqual(pulled.map((e) => e.id));
  expect(processed.map((p) => p.sequence)).toEqual(pulled.map((e) => e.sequence));
  for (const d of receiver.deliveries) expect(await signatureValid(secret, d), d.id).toBe(true);
  // The ids the receiver saw are the events' ids, each body the event the pull API shows.
  expect(new Set(receiver.deliveries.map((d) => d.id))).toEqual(new Set(pulled.map((e) => e.id)));

  const listed = (await admin("GET", `/orgs/${org.orgId}/webhooks`)).body.webhooks;
  expect(listed[0].lastDelivery).toMatchObject({ eventId: pulled.at(-1)!.id, status: "delivered", httpStatus: 200 });
  const first = (await admin("GET", `/orgs/${org.orgId}/events/${pulled[0].id}/deliveries`)).body.deliveries[0];
  expect(first.status).toBe("delivered");
  expect(first.attempts).toBeGreaterThan(1);
});

it("measures the delivery rate of one endpoint (reported, not asserted)", async () => {
  const receiver = new Receiver();
  receivers.push(receiver);
  await receiver.start();
  const org = await newScimOrg("Webhooks rate");
  const hook = await admin("POST", `/orgs/${org.orgId}/webhooks`, { url: `http://127.0.0.1:${receiver.port}/hooks` });
  expect(hook.status).toBe(201);
  const count = 300;
  const bulk = await org.scim("POST", "/Bulk", {
    schemas: ["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],
    Operations: Array.from({ length: count }, (_, i) => ({
      method: "POST",
      path: "/Users",
      bulkId: `u${i}`,
      data: { schemas: [CORE_USER], userName: `rate${i}@example.com` },
    })),
  });
  expect(bulk.status).toBe(200);
  await until("every event", () => receiver.deliveries.length >= count);
  const arrivals = receiver.deliveries.map((d) => JSON.parse(d.body).sequence as number);
  expect(arrivals).toEqual(Array.from({ length: count }, (_, i) => i + 1));
  const ms = Math.max(1, receiver.deliveries.at(-1)!.at - receiver.deliveries[0].at);
  console.log(`webhook delivery rate, one endpoint, local wrangler dev: ${count} events in ${ms} ms ≈ ${Math.round((count - 1) / (ms / 1000))} events/s`);
});

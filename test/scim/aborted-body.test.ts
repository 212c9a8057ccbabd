// Finding 4 of issue 16: a client that disconnects while sending its body made a 500 (the runtime's
// "Network connection lost"). A body that cannot be read is the client's error: 400 to a caller still
// listening, recorded as 400 in the provisioning log, nothing written.
import { describe, expect, it, vi } from "vitest";
import { ADMIN_HEADERS, admin, expectScimError, newScimOrg, ORIGIN, viaApp } from "../support/helpers";

const send = viaApp(); // waits for ctx.waitUntil, so log entries are written when a call returns

/** A body that delivers `prefix` and then fails, as a request body does when its client disconnects. */
function abortedBody(prefix: string): ReadableStream<Uint8Array> {
  let sent = false;
  return new ReadableStream({
    pull(controller) {
      if (!sent) {
        sent = true;
        controller.enqueue(new TextEncoder().encode(prefix));
      } else {
        controller.error(new Error("Network connection lost."));
      }
    },
  });
}

describe("a request body the client stops sending", () => {
  it("is a 400 invalidSyntax, logged as such, and writes nothing", async () => {
    const errors = vi.spyOn(console, "error").mockImplementation(() => {});
    const org = await newScimOrg({ send });
    const group = await org.call("POST", "/Groups", { displayName: "Team" });
    const requests: [string, string, Record<string, string>][] = [
      ["POST", "/Users", {}],
      ["POST", "/Users", { "Content-Length": "4096" }],
      ["PUT", `/Groups/${group.body.id}`, {}],
      ["PATCH", `/Groups/${group.body.id}`, {}],
      ["POST", "/Groups/.search", {}],
    ];
    for (const [method, path, headers] of requests) {
      const res = await send(
        new Request(`${ORIGIN}/scim/v2${path}`, {
          method,
          headers: { Authorization: `Bearer ${org.token}`, "Content-Type": "application/scim+json", ...headers },
          body: abortedBody('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"half'),
        }),
      );
      const text = await res.text();
      expectScimError({ status: res.status, headers: res.headers, body: JSON.parse(text) }, 400, "invalidSyntax");
      expect(JSON.parse(text).detail).toMatch(/could not be read/);
    }
    expect((await org.call("GET", "/Users")).body.totalResults).toBe(0);
    expect((await org.call("GET", `/Groups/${group.body.id}`)).body.meta.version).toBe(group.body.meta.version);

    const log = await admin("GET", `/orgs/${org.orgId}/scim/log?limit=50`, undefined, send);
    const aborted = log.body.entries.filter((e: any) => e.scimType === "invalidSyntax");
    expect(aborted.map((e: any) => e.status)).toEqual(requests.map(() => 400));
    expect(log.body.entries.some((e: any) => e.status >= 500)).toBe(false);
    expect(errors).not.toHaveBeenCalled();
    errors.mockRestore();
  });

  it("on the admin API is a 400 too", async () => {
    const res = await send(
      new Request(`${ORIGIN}/api/v1/orgs`, { method: "POST", headers: ADMIN_HEADERS, body: abortedBody('{"name":"Ha') }),
    );
    expect(res.status).toBe(400);
    expect(((await res.json()) as any).error.code).toBe("invalid_request");
  });
});

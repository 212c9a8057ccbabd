import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { newScimOrg, request, viaApp, viaWorker } from "./support/helpers";

const user = { userName: "Floor.User@Example.com", displayName: "Floor", emails: [{ value: "Floor.User@Example.com", type: "work", primary: true }] };

describe("benchmark floor routes", () => {
  it("do not exist unless the Worker runs with BENCH_FLOOR=1", async () => {
    const client = await newScimOrg();
    for (const [method, path] of [["POST", "/bench-floor/users"], ["GET", "/bench-floor/users?userName=x"]]) {
      const res = await viaWorker(
        request(method, path, { body: method === "POST" ? user : undefined, headers: { Authorization: `Bearer ${client.token}` } }),
      );
      expect(res.status, `${method} ${path}`).toBe(404);
    }
    expect(await env.DB.prepare("SELECT count(*) AS n FROM users WHERE org_id = ?").bind(client.orgId).first("n")).toBe(0);
  });

  it("write and read the same rows as SCIM, behind the same token check", async () => {
    const send = viaApp({ env: { BENCH_FLOOR: "1" } });
    const client = await newScimOrg({ send });
    const headers = { Authorization: `Bearer ${client.token}`, "Content-Type": "application/json" };
    expect((await send(request("POST", "/bench-floor/users", { body: user }))).status).toBe(401);
    const created = await send(request("POST", "/bench-floor/users", { body: user, headers }));
    expect(created.status).toBe(201);
    const found = await send(request("GET", "/bench-floor/users?userName=floor.user@example.com", { headers }));
    expect(await found.json()).toMatchObject({ total: 1, users: [{ id: (await created.json<any>()).id }] });
    // The floor's rows are real rows: SCIM finds the user by its email.
    const scim = await client.call("GET", `/Users?filter=${encodeURIComponent('emails.value eq "floor.user@example.com"')}`);
    expect(scim.body.totalResults).toBe(1);
  });
});

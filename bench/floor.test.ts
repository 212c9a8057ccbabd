// Runs in the vitest "bench" project, whose Worker is bench/worker.ts (bench/wrangler.toml): SELF is
// the bench entry. That the product Worker has no floor is checked on its bundle (scripts/check-bundle.mjs).
import { describe, expect, it } from "vitest";
import { newScimOrg, request, viaWorker } from "../test/support/helpers";

const user = { userName: "Floor.User@Example.com", displayName: "Floor", emails: [{ value: "Floor.User@Example.com", type: "work", primary: true }] };

describe("benchmark floor routes", () => {
  it("write and read the same rows as SCIM, behind the same token check", async () => {
    const send = viaWorker;
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

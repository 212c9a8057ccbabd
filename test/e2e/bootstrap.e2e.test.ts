// `npm run bootstrap` against a running dev server prints a SCIM URL and a token that authenticate.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { expect, inject, it } from "vitest";
import { ROOT } from "./support/dev-server";

const run = promisify(execFile);

it("bootstrap prints an org, a SCIM URL and a working token", async () => {
  const baseUrl = inject("baseUrl");
  const { stdout } = await run(
    process.execPath,
    [path.join(ROOT, "scripts/bootstrap.mjs"), "--org", "Acme", "--url", baseUrl, `--admin-token=${inject("adminToken")}`],
    { cwd: ROOT },
  );
  const field = (name: string) => new RegExp(`^${name}:\\s+(\\S+)$`, "m").exec(stdout)?.[1];
  const scimUrl = field("SCIM URL");
  const token = field("SCIM token");
  expect(field("Org id")).toMatch(/^[0-9a-f-]{36}$/);
  expect(scimUrl).toBe(`${baseUrl}/scim/v2`);
  expect(token).toMatch(/^scim_[A-Za-z0-9_-]{43}$/);

  // The token authenticates: the new org's (empty) user list.
  const good = await fetch(`${scimUrl}/Users`, { headers: { Authorization: `Bearer ${token}` } });
  expect(good.status).toBe(200);
  expect(await good.json()).toMatchObject({ totalResults: 0, Resources: [] });

  const wrong = await fetch(`${scimUrl}/Users`, { headers: { Authorization: `Bearer ${token}x` } });
  expect(wrong.status).toBe(401);
  expect(wrong.headers.get("content-type")).toBe("application/scim+json");
  expect(wrong.headers.get("www-authenticate")).toMatch(/^Bearer/);
  expect(await wrong.json()).toEqual({
    schemas: ["urn:ietf:params:scim:api:messages:2.0:Error"],
    status: "401",
    detail: expect.any(String),
  });
});

/**
 * Storage and query-cost measurements for docs/scale.md (`npx tsx bench/sizes.ts [--n 5000]`): what one
 * user, group and membership takes in the directory database, and what one log entry takes in the
 * organization's ProvisioningLog Durable Object (its own SQLite storage, where the log lives). Local
 * D1 has no dbstat; it reports the database's size after every query (`meta.size_after`), and a
 * Durable Object reports `databaseSize`, so each figure is the growth of the file after N copies of a
 * real row, divided by N (pages, indexes and all). Rows are real: a JumpCloud-shaped user, a group and
 * log entries made through SCIM, then copied N times by the bench Worker (bench/worker.ts,
 * /bench-floor/writer/sizes). Also reports the time per call, seen from the Worker, of the statements
 * a user write, a membership write and a deletion run (local D1's own meta.duration is always 0), and
 * of one log append (an RPC to the org's log object).
 */
import { parseArgs } from "node:util";
import { startDevServer } from "../test/e2e/support/dev-server";
import { BenchClient } from "./client";

const { values } = parseArgs({ options: { n: { type: "string", default: "5000" } } });
const N = Number(values.n);

async function main() {
  const server = await startDevServer({ config: "bench/wrangler.toml" });
  const client = new BenchClient(server.baseUrl, server.adminToken);
  try {
    const org = await client.admin("POST", "/orgs", { name: "Sizes" });
    await client.admin("PATCH", `/orgs/${org.id}/scim`, { enabled: true });
    client.useScimToken((await client.admin("POST", `/orgs/${org.id}/scim/tokens`, { description: "sizes" })).token);
    // A JumpCloud-shaped user (docs/idp-dialects.md): core, name, emails, phone, address, enterprise extension.
    const user = await client.scim("POST", "/Users", {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
      userName: "jane.doe@example.com",
      externalId: "5f8a2c3e9b1d4e0012a3b4c5",
      name: { givenName: "Jane", familyName: "Doe", formatted: "Jane Doe" },
      displayName: "Jane Doe",
      title: "Senior Engineer",
      active: true,
      emails: [{ value: "jane.doe@example.com", type: "work", primary: true }],
      phoneNumbers: [{ value: "+1 555 0100", type: "work" }],
      addresses: [{ type: "work", streetAddress: "1 Main St", locality: "Springfield", region: "IL", postalCode: "62701", country: "US", primary: true }],
      "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User": { employeeNumber: "12345", department: "Engineering", costCenter: "R&D", organization: "Example", manager: { value: "" } },
    }, [201]);
    const group = await client.scim("POST", "/Groups", { displayName: "Engineering", members: [{ value: user.body.id }] }, [201]);
    await client.scim("PATCH", `/Users/${user.body.id}`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: true }] });
    await client.scim("GET", `/Users?filter=${encodeURIComponent('userName eq "jane.doe@example.com"')}`);
    await new Promise((r) => setTimeout(r, 500)); // the log entries are written after the responses
    const res = await client.floor("POST", "/writer/sizes", { n: N, userId: user.body.id, groupId: group.body.id });
    console.log(JSON.stringify(res.body, null, 2));
  } finally {
    await server.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});

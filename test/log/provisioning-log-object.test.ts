// The provisioning log as each organization's own Durable Object: a burst of concurrent requests is
// logged whole, in few calls, each org's entries in its own object only; and what an entry costs in
// the object's SQLite storage (docs/scale.md).
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { LOG_MAX_ENTRIES } from "../../src/provisioning-log/retention";
import { logRecord } from "../../src/provisioning-log/record";
import { admin, HEAVY_TEST_TIMEOUT, newScimOrg, request, viaApp } from "../support/helpers";
import { inLogStorage, instrumentedLogs, logObject, rawLogRows } from "../support/log-helpers";

const send = viaApp();
const CORE_USER = "urn:ietf:params:scim:schemas:core:2.0:User";

async function logOf(orgId: string) {
  const res = await admin("GET", `/orgs/${orgId}/scim/log?limit=200`, undefined, send);
  expect(res.status).toBe(200);
  return res.body.entries as { id: number; path: string; status: number; tokenId: string; tokenDescription: string }[];
}

describe("provisioning log objects under a burst", () => {
  it(
    "logs every request of a concurrent burst from two orgs, each in its own org's log, one call per org and batch",
    async () => {
      const a = await newScimOrg({ send });
      const b = await newScimOrg({ send });
      const logs = instrumentedLogs({ holdAppends: true });
      const app = createApp();
      const PER_ORG = 25;
      const burst = [a, b].flatMap((org) =>
        Array.from({ length: PER_ORG }, (_, i) => ({
          org,
          ctx: createExecutionContext(),
          req: request("POST", "/scim/v2/Users", {
            body: { schemas: [CORE_USER], userName: `burst-${i}@example.com` },
            headers: { Authorization: `Bearer ${org.token}`, "Content-Type": "application/scim+json" },
          }),
        })),
      );
      // Every request answers while the first write of each org is held: the others queue behind it.
      const responses = await Promise.all(burst.map(({ req, ctx }) => app.fetch(req, { ...env, PROVISIONING_LOG: logs.binding }, ctx)));
      expect(responses.map((r) => r.status)).toEqual(Array(2 * PER_ORG).fill(201));
      expect(logs.held()).toBe(2); // one per org: B's first write did not wait behind A's
      logs.open();
      await Promise.all(burst.map(({ ctx }) => waitOnExecutionContext(ctx)));

      for (const org of [a, b]) {
        expect(logs.appends().filter((c) => c.name === org.orgId)).toEqual([
          { method: "append", name: org.orgId, entries: 1 },
          { method: "append", name: org.orgId, entries: PER_ORG - 1 },
        ]);
        const entries = await logOf(org.orgId);
        expect(entries).toHaveLength(PER_ORG);
        expect(new Set(entries.map((e) => e.tokenId))).toEqual(new Set([org.tokenId]));
        expect(entries.every((e) => e.status === 201 && e.path === "/scim/v2/Users" && e.tokenDescription === "test")).toBe(true);
        // Ids are the org's own: 1 … 25, whatever the other org wrote meanwhile.
        expect(entries.map((e) => e.id).sort((x, y) => x - y)).toEqual(Array.from({ length: PER_ORG }, (_, i) => i + 1));
      }
    },
    HEAVY_TEST_TIMEOUT,
  );

  it("never shows org B's entries in org A's log: not by token, not by cursor, not in A's storage", async () => {
    const a = await newScimOrg({ send });
    const b = await newScimOrg({ send });
    await a.call("GET", "/Users");
    await b.call("GET", "/Users/nope");
    await b.call("GET", "/Groups");
    const byToken = await admin("GET", `/orgs/${a.orgId}/scim/log?token=${b.tokenId}`, undefined, send);
    expect(byToken.body.entries).toEqual([]);
    expect((await logOf(a.orgId)).map((e) => e.path)).toEqual(["/scim/v2/Users"]);
    // B's log object holds only B's entries: nothing in either table names another org's token.
    expect((await rawLogRows(a.orgId)).map((r) => r.token_id)).toEqual([a.tokenId]);
    expect((await rawLogRows(b.orgId)).map((r) => r.token_id)).toEqual([b.tokenId, b.tokenId]);
    // A cursor past every id of B's log, used on A's, still yields A's entry only.
    const cursor = btoa(JSON.stringify({ after: "1000" })).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_");
    const paged = await admin("GET", `/orgs/${a.orgId}/scim/log?cursor=${cursor}`, undefined, send);
    expect(paged.body.entries.map((e: any) => e.tokenId)).toEqual([a.tokenId]);
  });
});

describe("provisioning log storage", () => {
  it(
    "costs its text plus well under 100 bytes per entry in the object's SQLite storage (databaseSize after N appends)",
    async () => {
      const org = await newScimOrg({ send });
      // A typical entry: an identity provider's PATCH of a user, as the middleware records it.
      const record = logRecord(
        { orgId: org.orgId, tokenId: org.tokenId },
        {
          method: "PATCH",
          url: `https://scim.test/scim/v2/Users/${crypto.randomUUID()}`,
          header: (name) => (name.toLowerCase() === "user-agent" ? "JumpCloud SCIM Client/1.0 (+https://jumpcloud.com)" : undefined),
          startedAt: Date.now(),
          endedAt: Date.now() + 42,
          status: 200,
          errorBody: null,
          patchBody: JSON.stringify({
            schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
            Operations: [{ op: "replace", path: "active", value: false }, { op: "replace", path: "name.givenName", value: "Jane" }],
          }),
        },
      );
      const stub = logObject(org.orgId);
      const { orgId: _org, ...stored } = record;
      await stub.append([stored], Date.now()); // the schema and first pages exist before measuring
      const size = () => inLogStorage(org.orgId, (sql) => sql.databaseSize);
      const N = 5_000;
      const before = await size();
      for (let i = 0; i < N; i += 500) {
        await stub.append(Array.from({ length: 500 }, (_, j) => ({ ...stored, at: stored.at + i + j })), Date.now());
      }
      const after = await size();
      const perEntry = (after - before) / N;
      const atCap = await (async () => {
        for (let i = N; i < LOG_MAX_ENTRIES; i += 500) {
          await stub.append(Array.from({ length: 500 }, (_, j) => ({ ...stored, at: stored.at + i + j })), Date.now());
        }
        return size();
      })();
      // The variable-length text of one stored entry (path, query, ops, User-Agent, token id).
      const text = await inLogStorage(org.orgId, (sql) =>
        sql
          .exec<{ n: number }>(
            `SELECT length(CAST(path AS BLOB)) + ifnull(length(CAST(query AS BLOB)), 0) + ifnull(length(CAST(ops AS BLOB)), 0)
               + ifnull(length(CAST(user_agent AS BLOB)), 0) + length(CAST(token_id AS BLOB)) + length(method) AS n FROM log ORDER BY id DESC LIMIT 1`,
          )
          .one().n,
      );
      console.log(
        `provisioning log object: ${perEntry.toFixed(1)} B per entry (N=${N}) of which ${text} B text; ${atCap} B at the ${LOG_MAX_ENTRIES}-entry cap`,
      );
      // The rest is the row's integers and headers, the (status_class, id) index and page slack.
      expect(perEntry - text).toBeGreaterThan(0);
      expect(perEntry - text).toBeLessThan(100);
      expect(await inLogStorage(org.orgId, (sql) => sql.exec("SELECT count(*) AS n FROM log").one().n)).toBe(LOG_MAX_ENTRIES);
    },
    HEAVY_TEST_TIMEOUT,
  );
});

import { env } from "cloudflare:test";
import { expect, it } from "vitest";
import { database } from "../../src/db/client";
import { MAX_ATTEMPTS_PER_ORG, recordAttempt } from "../../src/db/sso";
import { runMaintenance } from "../../src/scheduled";

it("the hourly clean-up forgets expired SSO flows and assertion ids, and refusals older than 30 days", async () => {
  const now = Date.UTC(2026, 10, 1);
  const day = 24 * 3_600_000;
  await env.DB.batch([
    env.DB.prepare("INSERT INTO sso_flows (key_hash, org_id, protocol, created_at, expires_at) VALUES ('old', 'o', 'oidc', ?, ?)").bind(now - 20 * 60_000, now - 10 * 60_000),
    env.DB.prepare("INSERT INTO sso_flows (key_hash, org_id, protocol, created_at, expires_at) VALUES ('open', 'o', 'oidc', ?, ?)").bind(now, now + 10 * 60_000),
    env.DB.prepare("INSERT INTO sso_assertions (org_id, assertion_id, expires_at) VALUES ('o', 'spent', ?), ('o', 'live', ?)").bind(now - 1, now + 60_000),
    env.DB.prepare("INSERT INTO sso_attempts (org_id, at, protocol, reason) VALUES ('o', ?, 'saml', 'old'), ('o', ?, 'saml', 'recent')").bind(now - 31 * day, now - 29 * day),
  ]);
  const result = await runMaintenance(database(env.DB), now);
  expect(result.ssoRows).toBe(3);
  const left = async (sql: string) => (await env.DB.prepare(sql).all<{ k: string }>()).results.map((r) => r.k);
  expect(await left("SELECT key_hash AS k FROM sso_flows")).toEqual(["open"]);
  expect(await left("SELECT assertion_id AS k FROM sso_assertions")).toEqual(["live"]);
  expect(await left("SELECT reason AS k FROM sso_attempts")).toEqual(["recent"]);
});

it("keeps at most the newest 1,000 refused sign-ins per org (anyone can post garbage to an ACS)", async () => {
  const db = database(env.DB);
  const seed = env.DB.prepare(
    "WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?) INSERT INTO sso_attempts (org_id, at, protocol, reason) SELECT 'capped', i, 'saml', 'old' FROM s",
  );
  await seed.bind(MAX_ATTEMPTS_PER_ORG).run();
  await env.DB.prepare("INSERT INTO sso_attempts (org_id, at, protocol, reason) VALUES ('other', 1, 'saml', 'kept')").run();
  await recordAttempt(db, { orgId: "capped", at: 2_000, protocol: "saml", reason: "newest" });
  const count = async (org: string) => env.DB.prepare("SELECT count(*) AS n FROM sso_attempts WHERE org_id = ?").bind(org).first<number>("n");
  expect(await count("capped")).toBe(MAX_ATTEMPTS_PER_ORG);
  expect(await count("other")).toBe(1);
  expect(await env.DB.prepare("SELECT min(at) AS m FROM sso_attempts WHERE org_id = 'capped'").first("m")).toBe(2);
  expect(await env.DB.prepare("SELECT reason FROM sso_attempts WHERE org_id = 'capped' ORDER BY id DESC LIMIT 1").first("reason")).toBe("newest");
});

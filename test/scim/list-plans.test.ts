// Paging an org of any size must not sort it: the page query walks an index in list order, and the
// rows OFFSET skips are never read from the table (the index ends with the id tie-breaker).
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { countingScimOrg } from "../support/helpers";

async function pagePlan(path: string, table: "users" | "groups") {
  const { org, counting, measure } = await countingScimOrg();
  await measure(path);
  const page = counting.log.statements.find((q) => q.includes("LIMIT ? OFFSET ?") && q.includes(`FROM ${table}`) && !q.includes("COUNT("))!;
  expect(page, path).toBeDefined();
  const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${page}`).bind(org.orgId, 100, 24_900).all<{ detail: string }>();
  return plan.results.map((r) => r.detail);
}

describe("list pages are index walks", () => {
  for (const [path, index] of [
    ["/Users?startIndex=24901&count=100", "users_org_created"],
    ["/Users?sortBy=userName&startIndex=24901", "users_org_user_name"],
    ["/Users?sortBy=meta.lastModified&sortOrder=descending&startIndex=24901", "users_org_last_modified"],
    ["/Users?sortBy=meta.created&sortOrder=descending&startIndex=24901", "users_org_created"],
  ] as const) {
    it(`GET ${path}`, async () => {
      const plan = await pagePlan(path, "users");
      expect(plan.join(" | ")).toContain(`USING INDEX ${index} (org_id=?)`);
      expect(plan.join(" | ")).not.toMatch(/TEMP B-TREE/);
    });
  }

  for (const [path, index] of [
    ["/Groups?startIndex=24901&excludedAttributes=members", "groups_org_created"],
    ["/Groups?sortBy=displayName&excludedAttributes=members", "groups_org_display_name"],
  ] as const) {
    it(`GET ${path}`, async () => {
      const plan = await pagePlan(path, "groups");
      expect(plan.join(" | ")).toContain(`USING INDEX ${index} (org_id=?)`);
      expect(plan.join(" | ")).not.toMatch(/TEMP B-TREE/);
    });
  }
});

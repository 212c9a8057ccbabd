/** createApp's injection points, which the bench and tests use to reach inside the product. */
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { createApp, type AppOptions } from "../../src/app";
import { countingD1, newScimOrg, type Fetch } from "../support/helpers";

function appWith(options: AppOptions): Fetch {
  const app = createApp(options);
  return async (request) => {
    const ctx = createExecutionContext();
    const response = await app.fetch(request, env, ctx);
    await waitOnExecutionContext(ctx);
    return response;
  };
}

describe("createApp({ wrapD1 })", () => {
  it("runs the app's queries on the D1 the wrapper returns, wrapping the env's binding", async () => {
    const counting = countingD1(env.DB);
    const given: D1Database[] = [];
    const client = await newScimOrg({
      send: appWith({
        wrapD1: (db) => {
          given.push(db);
          return counting.d1;
        },
      }),
    });
    counting.reset();
    const res = await client.call("GET", `/Users?filter=${encodeURIComponent('userName eq "nobody"')}`);
    expect(res.status).toBe(200);
    expect(counting.log.statements.some((sql) => /\bfrom "?users"?/i.test(sql))).toBe(true);
    expect(given.length).toBeGreaterThan(0);
    expect(given.every((db) => db === env.DB)).toBe(true);
  });
});

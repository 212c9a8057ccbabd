// What the provisioning log keeps of a request: pure functions, no I/O.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { idpLabel } from "../../src/provisioning-log/idp";
import { MAX_LOGGED_OPERATIONS, summarizePatchBody } from "../../src/provisioning-log/operations";
import { errorFields, logRecord, summarizeQuery } from "../../src/provisioning-log/record";
import { LOG_MAX_AGE_MS, PRUNE_INTERVAL_MS, nextPruneAt } from "../../src/provisioning-log/retention";

const headers = (h: Record<string, string>) => (name: string) =>
  Object.entries(h).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];

describe("PATCH operation summaries", () => {
  it("keeps op and path as sent, and only the attribute names of a no-path value", () => {
    const body = JSON.stringify({
      schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
      Operations: [
        { op: "Replace", path: 'emails[type eq "work"].value', value: "a@b.c" },
        { op: "replace", value: { active: false, "name.givenName": "Ann", password: "secret" } },
        { op: "Remove", path: "members", value: [{ value: "u1" }] },
        { path: "displayName" },
        "not an object",
      ],
    });
    expect(summarizePatchBody(body)).toEqual({
      count: 5,
      items: [
        { op: "Replace", path: 'emails[type eq "work"].value' },
        { op: "replace", attributes: ["active", "name.givenName", "password"] },
        { op: "Remove", path: "members" },
        { op: null, path: "displayName" },
        { op: null },
      ],
    });
    expect(JSON.stringify(summarizePatchBody(body))).not.toContain("secret");
  });

  it("accepts any case of Operations and op, and caps the list", () => {
    const ops = Array.from({ length: 120 }, (_, i) => ({ OP: "add", path: `p${i}` }));
    const summary = summarizePatchBody(JSON.stringify({ operations: ops }));
    expect(summary?.count).toBe(120);
    expect(summary?.items).toHaveLength(MAX_LOGGED_OPERATIONS);
    expect(summary?.items[0]).toEqual({ op: "add", path: "p0" });
  });

  it("returns null for anything that is not a PATCH body, and never throws", () => {
    for (const body of ["", "{not json", "[]", "null", '"x"', "{}", '{"Operations": {}}']) {
      expect(summarizePatchBody(body), body).toBeNull();
    }
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json()), (body) => {
        summarizePatchBody(body);
      }),
    );
  });
});

describe("query, errors and IdP label", () => {
  it("cuts each query value to 200 characters and redacts credential-like parameters", () => {
    const params = new URLSearchParams({ filter: "x".repeat(300), access_token: "t0k3n", apiKey: "k", startIndex: "1" });
    expect(summarizeQuery(params)).toBe(`filter=${"x".repeat(199)}…&access_token=[redacted]&apiKey=[redacted]&startIndex=1`);
    expect(summarizeQuery(new URLSearchParams(""))).toBeNull();
  });

  it("reads scimType and detail from a SCIM error body only", () => {
    expect(errorFields('{"schemas":[],"status":"400","scimType":"invalidFilter","detail":"bad"}')).toEqual({
      scimType: "invalidFilter",
      detail: "bad",
    });
    expect(errorFields("<html>")).toEqual({ scimType: null, detail: null });
    expect(errorFields(null)).toEqual({ scimType: null, detail: null });
    expect(errorFields(JSON.stringify({ detail: "d".repeat(5000) })).detail).toHaveLength(1000);
  });

  it("recognises providers by header or User-Agent, and nothing else", () => {
    expect(idpLabel(headers({ Adscimversion: "2.0" }))).toBe("Microsoft Entra ID");
    expect(idpLabel(headers({ "User-Agent": "Okta SCIM Client 1.0.0" }))).toBe("Okta");
    expect(idpLabel(headers({ "User-Agent": "OneLogin SCIM" }))).toBe("OneLogin");
    expect(idpLabel(headers({ "User-Agent": "goauthentik.io/2024.2" }))).toBe("authentik");
    expect(idpLabel(headers({ "User-Agent": "Go-http-client/1.1" }))).toBeNull();
    expect(idpLabel(headers({}))).toBeNull();
  });

  it("builds a record without the Authorization header or the body", () => {
    const record = logRecord(
      { orgId: "o", tokenId: "t" },
      {
        method: "PATCH",
        url: "https://scim.test/scim/v2/Users/1?attributes=userName",
        header: headers({ Authorization: "Bearer scim_secret", "User-Agent": "Okta SCIM Client 1.0.0" }),
        startedAt: 1000,
        endedAt: 1042,
        status: 400,
        errorBody: '{"status":"400","scimType":"invalidValue","detail":"nope"}',
        patchBody: '{"Operations":[{"op":"replace","path":"active","value":false}],"password":"pw"}',
      },
    );
    expect(record).toEqual({
      orgId: "o",
      tokenId: "t",
      at: 1000,
      method: "PATCH",
      path: "/scim/v2/Users/1",
      query: "attributes=userName",
      operations: { count: 1, items: [{ op: "replace", path: "active" }] },
      status: 400,
      scimType: "invalidValue",
      detail: "nope",
      durationMs: 42,
      userAgent: "Okta SCIM Client 1.0.0",
      idp: "Okta",
    });
  });
});

describe("pruning schedule", () => {
  it("prunes by alarm when the oldest entry expires, but never more often than PRUNE_INTERVAL_MS", () => {
    const now = Date.UTC(2026, 0, 8);
    // An idle log: the alarm comes when its oldest entry turns 7 days old.
    expect(nextPruneAt(now - 86_400_000, now)).toBe(now - 86_400_000 + LOG_MAX_AGE_MS);
    // A busy log's oldest entry is about to expire all the time: at most one alarm per interval.
    expect(nextPruneAt(now - LOG_MAX_AGE_MS + 1, now)).toBe(now + PRUNE_INTERVAL_MS);
  });
});

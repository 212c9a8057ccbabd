import { describe, expect, it } from "vitest";
import { etagOf, ifMatchAllows, ifNoneMatchHits } from "../../src/scim/etag";
import { parseInstant } from "../../src/scim/instant";
import { parseListRequest } from "../../src/scim/list-request";
import { MAX_RESULTS, DEFAULT_COUNT } from "../../src/scim/limits";
import { parsePage, parseSort } from "../../src/scim/paging";
import { parseProjection, project } from "../../src/scim/projection";
import { USER_RESOURCE } from "../../src/scim/schemas";
import { scimErrorOf } from "../support/scim-error";

const ENT = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

const scimTypeOf = (fn: () => unknown) => scimErrorOf(fn).scimType;

describe("paging", () => {
  it("defaults, clamps and reads integers leniently", () => {
    expect(parsePage(undefined, undefined)).toEqual({ startIndex: 1, count: DEFAULT_COUNT });
    expect(parsePage("0", "-5")).toEqual({ startIndex: 1, count: 0 });
    expect(parsePage("-3", String(MAX_RESULTS + 1))).toEqual({ startIndex: 1, count: MAX_RESULTS });
    expect(parsePage(" 7 ", 3)).toEqual({ startIndex: 7, count: 3 });
    expect(parsePage("", "")).toEqual({ startIndex: 1, count: DEFAULT_COUNT });
    expect(parsePage("99999999999999999999", "0")).toEqual({ startIndex: Number.MAX_SAFE_INTEGER, count: 0 });
  });

  it("refuses what is not an integer with 400 invalidValue", () => {
    for (const [s, c] of [["1.5", undefined], ["abc", undefined], [undefined, "ten"], [undefined, "1e2"], [undefined, 2.5], [true, undefined]]) {
      expect(scimTypeOf(() => parsePage(s, c)), `${s} ${c}`).toBe("invalidValue");
    }
  });

  it("reads sortOrder in any case and refuses other values", () => {
    expect(parseSort("userName", "DESCENDING")).toEqual({ sortBy: "userName", sortOrder: "descending" });
    expect(parseSort(undefined, undefined)).toEqual({ sortOrder: "ascending" });
    expect(scimTypeOf(() => parseSort("userName", "up"))).toBe("invalidValue");
  });

  it("refuses an empty or truncated filter instead of listing everything", () => {
    expect(scimTypeOf(() => parseListRequest((n) => (n === "filter" ? "" : undefined), USER_RESOURCE))).toBe("invalidFilter");
    expect(scimTypeOf(() => parseListRequest((n) => (n === "filter" ? "userName" : undefined), USER_RESOURCE))).toBe("invalidFilter");
    expect(parseListRequest(() => undefined, USER_RESOURCE).filter).toBeUndefined();
  });
});

describe("ETags", () => {
  it("compares weakly, with lists and the wildcard", () => {
    expect(etagOf(3)).toBe('W/"3"');
    expect(ifMatchAllows(undefined, 3)).toBe(true);
    expect(ifMatchAllows('W/"3"', 3)).toBe(true);
    expect(ifMatchAllows('"3"', 3)).toBe(true);
    expect(ifMatchAllows('W/"2", W/"3"', 3)).toBe(true);
    expect(ifMatchAllows("*", 3)).toBe(true);
    expect(ifMatchAllows('W/"2"', 3)).toBe(false);
    expect(ifMatchAllows("garbage", 3)).toBe(false);
    expect(ifNoneMatchHits('W/"3"', 3)).toBe(true);
    expect(ifNoneMatchHits('W/"4"', 3)).toBe(false);
    expect(ifNoneMatchHits(undefined, 3)).toBe(false);
  });
});

describe("instants", () => {
  it("reads any RFC 3339 offset and up to nine fractional digits", () => {
    const at = Date.UTC(2026, 0, 1, 12, 0, 0, 123);
    expect(parseInstant("2026-01-01T12:00:00.123Z")).toEqual({ ms: at, subMsNanos: 0 });
    expect(parseInstant("2026-01-01T13:30:00.123456789+01:30")).toEqual({ ms: at, subMsNanos: 456789 });
    expect(parseInstant("2026-01-01t07:00:00.1234-05:00")).toEqual({ ms: at, subMsNanos: 400000 });
    expect(parseInstant("0050-03-01T00:00:00Z")?.ms).toBe(Date.parse("0050-03-01T00:00:00Z"));
    for (const bad of ["2026-02-30T00:00:00Z", "2026-01-01T24:00:00Z", "2026-01-01T00:00:00.1234567890Z", "yesterday", "2026-1-1"]) {
      expect(parseInstant(bad), bad).toBeUndefined();
    }
  });
});

describe("projection", () => {
  const resource = {
    schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
    id: "u1",
    externalId: "e",
    userName: "a",
    name: { givenName: "A", familyName: "B" },
    emails: [{ value: "a@x", type: "work" }, { value: "b@x" }],
    [ENT]: { employeeNumber: "1", department: "D" },
    meta: { resourceType: "User", version: 'W/"1"' },
  };

  it("returns only what `attributes` names, plus id and schemas", () => {
    expect(project(resource, parseProjection("userName,name.givenName,emails.value", undefined, USER_RESOURCE), USER_RESOURCE)).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      id: "u1",
      userName: "a",
      name: { givenName: "A" },
      emails: [{ value: "a@x" }, { value: "b@x" }],
    });
    expect(project(resource, parseProjection(["USERNAME", `${ENT}:department`, "meta"], undefined, USER_RESOURCE), USER_RESOURCE)).toEqual({
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User", ENT],
      id: "u1",
      userName: "a",
      [ENT]: { department: "D" },
      meta: resource.meta,
    });
    expect(project(resource, parseProjection(ENT, undefined, USER_RESOURCE), USER_RESOURCE)).toMatchObject({ id: "u1", [ENT]: resource[ENT] });
  });

  it("removes what `excludedAttributes` names, except id and schemas", () => {
    expect(project(resource, parseProjection(undefined, "emails,name.familyName,id,schemas,meta,members", USER_RESOURCE), USER_RESOURCE)).toEqual({
      schemas: resource.schemas,
      id: "u1",
      externalId: "e",
      userName: "a",
      name: { givenName: "A" },
      [ENT]: resource[ENT],
    });
    expect(project(resource, parseProjection(undefined, ENT, USER_RESOURCE), USER_RESOURCE).schemas).toEqual(["urn:ietf:params:scim:schemas:core:2.0:User"]);
  });

  it("ignores names it does not know", () => {
    expect(project(resource, parseProjection("nope", "members", USER_RESOURCE), USER_RESOURCE)).toEqual({ schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"], id: "u1" });
  });
});

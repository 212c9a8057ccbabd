/**
 * RFC 9865 cursor pagination on /Users and /Groups (GET and POST /.search), against real D1: the
 * walk, previousCursor, paging while the directory changes, filter/sort/projection, every error the
 * RFC defines, tampering, other organizations' cursors, and what a deployment without a secret does.
 */
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { countingScimOrg, expectScimError, manualClock, newScimOrg, viaApp, type ScimClient } from "../support/helpers";
import { createGroup } from "../support/group-helpers";
import { createUser } from "../support/user-helpers";

type Page = { status: number; body: any; headers: Headers };

const query = (params: Record<string, string | number | undefined>) =>
  Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join("&");

/** One page: GET with the parameters in the query, or POST /.search with them in the body. */
function page(org: ScimClient, path: "/Users" | "/Groups", params: Record<string, string | number | undefined>, via: "GET" | "POST" = "GET"): Promise<Page> {
  if (via === "POST") return org.call("POST", `${path}/.search`, { schemas: ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], ...params });
  return org.call("GET", `${path}?${query(params)}`);
}

/** Follows nextCursor from an empty cursor to the last page; `between` runs before each next page. */
async function walk(
  org: ScimClient,
  path: "/Users" | "/Groups",
  params: Record<string, string | number | undefined> = {},
  options: { via?: "GET" | "POST"; between?: (pageNumber: number) => Promise<void> } = {},
) {
  const pages: Page[] = [];
  let cursor = "";
  for (let n = 0; n < 100; n++) {
    const res = await page(org, path, { ...params, cursor }, options.via);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    pages.push(res);
    if (!res.body.nextCursor) break;
    cursor = res.body.nextCursor;
    await options.between?.(n + 1);
  }
  const ids: string[] = pages.flatMap((p) => p.body.Resources.map((r: { id: string }) => r.id));
  return { pages, ids };
}

const idsOf = (res: Page): string[] => res.body.Resources.map((r: { id: string }) => r.id);

describe("discovery", () => {
  it("advertises cursor and index paging, index the default, with the cursor timeout", async () => {
    const org = await newScimOrg();
    const { body } = await org.call("GET", "/ServiceProviderConfig");
    expect(body.pagination).toEqual({
      cursor: true,
      index: true,
      defaultPaginationMethod: "index",
      defaultPageSize: 100,
      maxPageSize: 200,
      cursorTimeout: 3600,
    });
  });

  it("without a CURSOR_SECRET (or a short one): cursor false, and a cursor request is a clear 501, never an unsigned cursor", async () => {
    for (const secret of ["", "too-short"]) {
      const org = await newScimOrg({ send: viaApp({ env: { CURSOR_SECRET: secret } }) });
      await createUser(org, { userName: "a" });
      const spc = await org.call("GET", "/ServiceProviderConfig");
      expect(spc.body.pagination).toEqual({ cursor: false, index: true, defaultPaginationMethod: "index", defaultPageSize: 100, maxPageSize: 200 });
      for (const res of [await org.call("GET", "/Users?cursor"), await org.call("POST", "/Groups/.search", { cursor: "" })]) {
        expectScimError(res, 501);
        expect(res.body.detail).toMatch(/CURSOR_SECRET/);
      }
      // Index paging is unaffected.
      expect((await org.call("GET", "/Users?startIndex=1&count=10")).body.totalResults).toBe(1);
    }
  });
});

describe("a cursor walk", () => {
  let org: ScimClient;
  let all: string[];

  beforeAll(async () => {
    org = await newScimOrg({ send: viaApp() });
    for (let i = 0; i < 25; i++) await createUser(org, { userName: `walker${String(i).padStart(2, "0")}` });
    all = idsOf(await org.call("GET", "/Users?count=200"));
  });

  for (const via of ["GET", "POST"] as const) {
    it(`${via}: pages of count, nextCursor on every page but the last, no startIndex, the true total`, async () => {
      const { pages, ids } = await walk(org, "/Users", { count: 10 }, { via });
      expect(pages.map((p) => p.body.itemsPerPage)).toEqual([10, 10, 5]);
      expect(pages.map((p) => p.body.Resources.length)).toEqual([10, 10, 5]);
      expect(pages.map((p) => p.body.totalResults)).toEqual([25, 25, 25]);
      expect(pages.map((p) => "nextCursor" in p.body)).toEqual([true, true, false]);
      expect(pages.map((p) => "previousCursor" in p.body)).toEqual([false, true, true]);
      for (const p of pages) {
        expect(p.body).not.toHaveProperty("startIndex");
        expect(p.body.schemas).toEqual(["urn:ietf:params:scim:api:messages:2.0:ListResponse"]);
        expect(Object.keys(p.body).at(-1)).toBe("Resources");
        if (p.body.nextCursor) expect(p.body.nextCursor).toMatch(/^[A-Za-z0-9._~-]+$/);
      }
      // Every user once, in the order index paging shows them.
      expect(ids).toEqual(all);
    });
  }

  it("reads `?cursor` without a value as the first page, and uses the default page size without count", async () => {
    const res = await org.call("GET", "/Users?cursor");
    expect(res.status).toBe(200);
    expect(res.body.itemsPerPage).toBe(25);
    expect(res.body).not.toHaveProperty("nextCursor");
    expect(res.body).not.toHaveProperty("previousCursor");
  });

  it("walks back with previousCursor to the same pages, and the first page has none", async () => {
    const { pages } = await walk(org, "/Users", { count: 10 });
    const second = await page(org, "/Users", { count: 10, cursor: pages[2].body.previousCursor });
    expect(idsOf(second)).toEqual(idsOf(pages[1]));
    expect(second.body.nextCursor).toBeDefined();
    const first = await page(org, "/Users", { count: 10, cursor: second.body.previousCursor });
    expect(idsOf(first)).toEqual(idsOf(pages[0]));
    expect(first.body).not.toHaveProperty("previousCursor");
    // And forward again from a page reached backwards.
    expect(idsOf(await page(org, "/Users", { count: 10, cursor: first.body.nextCursor }))).toEqual(idsOf(pages[1]));
  });

  it("count=0 answers only the total, without cursors; a negative count counts as 0", async () => {
    for (const count of [0, -3]) {
      const res = await page(org, "/Users", { count, cursor: "" });
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ schemas: ["urn:ietf:params:scim:api:messages:2.0:ListResponse"], totalResults: 25, itemsPerPage: 0, Resources: [] });
    }
  });

  it("leaves index paging exactly as it was", async () => {
    const res = await org.call("GET", "/Users?startIndex=11&count=10");
    expect(res.body.startIndex).toBe(11);
    expect(res.body).not.toHaveProperty("nextCursor");
    expect(idsOf(res)).toEqual(all.slice(10, 20));
  });
});

describe("paging while the directory changes", () => {
  for (const sortBy of [undefined, "userName", "displayName"] as const) {
    it(`never repeats a user and never drops one that stayed${sortBy ? ` (sortBy=${sortBy})` : ""}`, async () => {
      const org = await newScimOrg({ send: viaApp() });
      const created: { id: string; userName: string }[] = [];
      const add = async (name: string, withDisplayName: boolean) => {
        const user = await createUser(org, { userName: name, ...(withDisplayName ? { displayName: `D ${name}` } : {}) });
        created.push(user);
        return user;
      };
      for (let i = 0; i < 40; i++) await add(`m${String(i * 10).padStart(3, "0")}`, i % 3 !== 0);
      const original = await org.call("GET", `/Users?count=200${sortBy ? `&sortBy=${sortBy}` : ""}`);
      const deleted = new Set<string>();
      const deletedBeforeShown = new Set<string>();
      let inserted = 0;
      const { ids } = await walk(org, "/Users", { count: 7, sortBy }, {
        between: async (n) => {
          // Inserts that sort before, inside and after the current position …
          for (const name of [`m${String(n * 35).padStart(3, "0")}x`, `a${n}`, `z${n}`]) {
            await add(name, n % 2 === 0);
            inserted++;
          }
          // … and deletions of users already shown and not yet shown.
          const seen = original.body.Resources.slice(0, n * 7).map((r: { id: string }) => r.id);
          const unseen = original.body.Resources.slice(n * 7).map((r: { id: string }) => r.id);
          for (const id of [seen[n % seen.length], unseen.at(-1 - n)]) {
            if (id && !deleted.has(id)) {
              expect((await org.call("DELETE", `/Users/${id}`)).status).toBe(204);
              deleted.add(id);
              if (unseen.includes(id)) deletedBeforeShown.add(id);
            }
          }
        },
      });
      expect(inserted).toBeGreaterThan(0);
      expect(new Set(ids).size, "no user twice").toBe(ids.length);
      const stayed = original.body.Resources.map((r: { id: string }) => r.id).filter((id: string) => !deleted.has(id));
      const shown = new Set(ids);
      expect(stayed.filter((id: string) => !shown.has(id)), "no user that stayed is missing").toEqual([]);
      expect(deletedBeforeShown.size).toBeGreaterThan(0);
      expect(ids.filter((id) => deletedBeforeShown.has(id)), "a user deleted before its page is not shown").toEqual([]);
    });
  }
});

describe("with filter, sortBy, sortOrder and attributes", () => {
  let org: ScimClient;

  beforeAll(async () => {
    org = await newScimOrg({ send: viaApp() });
    for (let i = 0; i < 23; i++) {
      await createUser(org, {
        userName: `sorted${i}`,
        displayName: i % 4 === 0 ? undefined : `Name ${String.fromCharCode(65 + ((i * 7) % 26))}`,
        title: i % 3 === 0 ? undefined : `T${i % 5}`,
        active: i % 5 !== 0,
        emails: i % 6 === 0 ? undefined : [{ value: `e${(i * 11) % 23}@x`, primary: true }],
      });
    }
  });

  const cases: Record<string, string | undefined>[] = [
    { filter: "active eq true", sortBy: "displayName", sortOrder: "descending", attributes: "userName" },
    { sortBy: "displayName" },
    { sortBy: "title", sortOrder: "ascending" },
    { sortBy: "title", sortOrder: "descending", excludedAttributes: "emails" },
    { sortBy: "emails.value" },
    { sortBy: "meta.lastModified", sortOrder: "descending", filter: 'userName sw "sorted1"' },
    { sortBy: "userName", sortOrder: "descending" },
  ];
  for (const params of cases) {
    it(`walks exactly what index paging lists: ${query(params)}`, async () => {
      const index = await page(org, "/Users", { ...params, count: 200 });
      expect(index.status).toBe(200);
      for (const count of [1, 4]) {
        const { ids, pages } = await walk(org, "/Users", { ...params, count });
        expect(ids).toEqual(idsOf(index));
        if (params.attributes === "userName") expect(Object.keys(pages[0].body.Resources[0]).sort()).toEqual(["id", "schemas", "userName"]);
        if (params.excludedAttributes === "emails") expect(pages[0].body.Resources[0]).not.toHaveProperty("emails");
        // And backwards from the last page to the first, page by page.
        const back: string[][] = [];
        let cursor = pages.at(-1)!.body.previousCursor;
        while (cursor) {
          const res = await page(org, "/Users", { ...params, count, cursor });
          back.unshift(idsOf(res));
          cursor = res.body.previousCursor;
        }
        expect([...back.flat(), ...idsOf(pages.at(-1)!)]).toEqual(ids);
      }
    });
  }
});

describe("/Groups", () => {
  it("pages groups by cursor with their members, through GET and POST /.search", async () => {
    const org = await newScimOrg({ send: viaApp() });
    const users = [];
    for (let i = 0; i < 3; i++) users.push(await createUser(org, { userName: `gm${i}` }));
    for (let i = 0; i < 9; i++) await createGroup(org, { displayName: `Team ${9 - i}`, members: users.slice(0, i % 4).map((u) => ({ value: u.id })) });
    const index = await org.call("GET", "/Groups?count=200&sortBy=displayName");
    for (const via of ["GET", "POST"] as const) {
      const { ids, pages } = await walk(org, "/Groups", { count: 4, sortBy: "displayName" }, { via });
      expect(ids).toEqual(idsOf(index));
      expect(pages.map((p) => p.body.itemsPerPage)).toEqual([4, 4, 1]);
      expect(pages.flatMap((p) => p.body.Resources.map((g: { members: unknown[] }) => g.members.length))).toEqual(
        index.body.Resources.map((g: { members: unknown[] }) => g.members.length),
      );
    }
    const filtered = await walk(org, "/Groups", { count: 2, filter: `members[value eq "${users[0].id}"]`, excludedAttributes: "members" });
    expect(filtered.ids).toHaveLength(6);
    expect(filtered.pages[0].body.Resources[0]).not.toHaveProperty("members");
  });
});

describe("cursor errors", () => {
  let org: ScimClient;
  let other: ScimClient;
  let cursor: string;

  beforeAll(async () => {
    org = await newScimOrg({ send: viaApp() });
    other = await newScimOrg({ send: viaApp() });
    for (let i = 0; i < 5; i++) {
      await createUser(org, { userName: `err${i}` });
      await createUser(other, { userName: `err${i}` });
    }
    cursor = (await org.call("GET", "/Users?cursor&count=2&filter=userName%20sw%20%22err%22")).body.nextCursor;
    expect(cursor).toBeDefined();
  });

  const next = (client: ScimClient, c: string, extra = "&count=2&filter=userName%20sw%20%22err%22") => client.call("GET", `/Users?cursor=${encodeURIComponent(c)}${extra}`);

  it("a cursor works with the query it was minted for", async () => {
    expect((await next(org, cursor)).status).toBe(200);
  });

  it("an edited, truncated or made-up cursor is 400 invalidCursor", async () => {
    const [payload, mac] = cursor.split(".");
    const flip = (s: string, i: number) => s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
    const forged = btoa(JSON.stringify([1, "a", 0, "err0", "x", 2, Date.now()])).replace(/=+$/, "");
    for (const bad of [flip(payload, 3), `${payload}.${flip(mac, 5)}`, cursor.slice(0, -2), payload, "garbage", "a.b", `${forged}.${mac}`, "%%%", "x".repeat(20_000)]) {
      const res = await next(org, bad);
      expectScimError(res, 400, "invalidCursor");
    }
  });

  it("another organization's cursor, or one reused with another filter, sort or resource type, is 400 invalidCursor", async () => {
    expectScimError(await next(other, cursor), 400, "invalidCursor");
    expectScimError(await next(org, cursor, "&count=2&filter=userName%20sw%20%22er%22"), 400, "invalidCursor");
    expectScimError(await next(org, cursor, "&count=2"), 400, "invalidCursor");
    expectScimError(await next(org, cursor, "&count=2&filter=userName%20sw%20%22err%22&sortBy=userName"), 400, "invalidCursor");
    expectScimError(await org.call("GET", `/Groups?cursor=${cursor}&count=2&filter=displayName%20sw%20%22err%22`), 400, "invalidCursor");
    // A deployment with another secret did not mint it either.
    const rotated = viaApp({ env: { CURSOR_SECRET: "another-cursor-secret-0123456789abcdefghijklmnop" } });
    const res = await rotated(new Request(`https://scim.test/scim/v2/Users?cursor=${cursor}&count=2&filter=userName%20sw%20%22err%22`, { headers: { Authorization: `Bearer ${org.token}` } }));
    expect(res.status).toBe(400);
    expect((await res.json<{ scimType: string }>()).scimType).toBe("invalidCursor");
  });

  it("a count other than the cursor's, above maxPageSize or not an integer is 400 invalidCount", async () => {
    expectScimError(await next(org, cursor, "&count=3&filter=userName%20sw%20%22err%22"), 400, "invalidCount");
    expectScimError(await next(org, cursor, "&filter=userName%20sw%20%22err%22"), 400, "invalidCount");
    expectScimError(await org.call("GET", "/Users?cursor&count=201"), 400, "invalidCount");
    expectScimError(await org.call("GET", "/Users?cursor&count=ten"), 400, "invalidCount");
    expectScimError(await org.call("POST", "/Users/.search", { cursor: "", count: 2.5 }), 400, "invalidCount");
  });

  it("startIndex with cursor is 400 invalidValue; a cursor that is not a string is invalidCursor", async () => {
    expectScimError(await org.call("GET", "/Users?cursor&startIndex=1"), 400, "invalidValue");
    expectScimError(await org.call("POST", "/Users/.search", { cursor: 5 }), 400, "invalidCursor");
  });

  it("a cursor older than cursorTimeout is 400 expiredCursor; younger, it works", async () => {
    const time = manualClock(Date.now());
    const timed = await newScimOrg({ send: viaApp({ clock: time.clock }) });
    for (let i = 0; i < 3; i++) await createUser(timed, { userName: `t${i}` });
    const first = await timed.call("GET", "/Users?cursor&count=1");
    time.advance(3599_000);
    const second = await timed.call("GET", `/Users?cursor=${first.body.nextCursor}&count=1`);
    expect(second.status).toBe(200);
    time.advance(3601_000);
    expectScimError(await timed.call("GET", `/Users?cursor=${second.body.nextCursor}&count=1`), 400, "expiredCursor");
  });
});

describe("cost", () => {
  it("a deep cursor page is an index seek, the same statements as the first page plus one probe", async () => {
    const { org, counting, measure } = await countingScimOrg();
    for (let i = 0; i < 30; i++) await createUser(org, { userName: `cost${String(i).padStart(2, "0")}` });
    for (const sort of ["", "&sortBy=userName", "&sortBy=meta.lastModified&sortOrder=descending"]) {
      const first = await measure(`/Users?cursor&count=5${sort}`);
      expect(first.statements, sort).toBe(3);
      let cursor = first.body.nextCursor;
      let deep = first;
      for (let i = 0; i < 4; i++) {
        deep = await measure(`/Users?cursor=${cursor}&count=5${sort}`);
        cursor = deep.body.nextCursor;
      }
      expect(deep.statements, sort).toBe(4);
      expect(deep.batches, sort).toEqual([4]);
      const pageSql = counting.log.statements.find((q) => q.includes("AS sortKey"))!;
      const position = (await org.call("GET", `/Users?count=200${sort}`)).body.Resources[20];
      const plan = await env.DB.prepare(`EXPLAIN QUERY PLAN ${pageSql}`)
        .bind(org.orgId, sort.includes("userName") ? position.userName : 0, position.id, 6, 0)
        .all<{ detail: string }>();
      const text = plan.results.map((r) => r.detail).join(" | ");
      expect(text, sort).toMatch(/USING (COVERING )?INDEX users_org_\w+ \(org_id=\? AND/);
      expect(text, sort).not.toMatch(/TEMP B-TREE/);
    }
  });
});

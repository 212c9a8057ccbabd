// Organization › Events and Organization › Webhooks (issue 14, console): the events page lists the
// org's events newest first, a page at a time, with the type filter from the address bar; the
// webhooks page ships its form and script. Both need a console session and carry no inline script.
// The newest-first read itself (db/events eventsNewestFirst) is checked here too.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { eventsNewestFirst, insertEventsStatements, newEventId } from "../../src/db/events";
import { EVENT_TYPES } from "../../src/events/model";
import { EVENTS_PAGE_SIZE } from "../../src/routes/console";
import { admin, consoleSignIn, newScimOrg, ORIGIN, viaWorker, type ConsoleSession } from "../support/helpers";
import { CORE_USER } from "../support/setup-helpers";

const page = (path: string, session?: ConsoleSession) =>
  viaWorker(new Request(`${ORIGIN}${path}`, { headers: session ? { Cookie: session.cookie } : {}, redirect: "manual" }));

const html = async (path: string, session: ConsoleSession) => {
  const res = await page(path, session);
  expect(res.status, path).toBe(200);
  return res.text();
};

/** The sequences of the events a page lists, in the order it lists them. */
const listed = (body: string) => [...body.matchAll(/<details class="event" data-event-id="[0-9a-f]{32}" data-sequence="(\d+)"/g)].map((m) => Number(m[1]));

/** Seeds `count` events into the org's outbox, numbered 1…count: odd ones user.created, even ones group.created. */
async function seedEvents(orgId: string, count: number, at = Date.UTC(2026, 0, 2, 3, 4, 5)) {
  const events = Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const data = n % 2 ? { resource: { userName: `user-${n}` } } : { resource: { displayName: `group-${n}` } };
    return { id: newEventId(), type: n % 2 ? "user.created" : "group.created", data: JSON.stringify(data) };
  });
  await env.DB.batch(insertEventsStatements(env.DB, orgId, at, events));
}

const newOrg = async (name: string): Promise<string> => (await admin("POST", "/orgs", { name })).body.id;

describe("db/events eventsNewestFirst", () => {
  it("pages an org's events newest first by sequence, optionally of some types, never another org's", async () => {
    const orgId = await newOrg("Newest first");
    const other = await newOrg("Other");
    await seedEvents(orgId, 7);
    await seedEvents(other, 3);
    const first = await eventsNewestFirst(env.DB, orgId, { limit: 3 });
    expect(first.events.map((e) => e.sequence)).toEqual([7, 6, 5]);
    expect(first.events.every((e) => e.orgId === orgId)).toBe(true);
    expect(first.nextBefore).toBe(5);
    const second = await eventsNewestFirst(env.DB, orgId, { beforeSequence: 5, limit: 3 });
    expect(second.events.map((e) => e.sequence)).toEqual([4, 3, 2]);
    const last = await eventsNewestFirst(env.DB, orgId, { beforeSequence: 2, limit: 3 });
    expect(last).toMatchObject({ nextBefore: null });
    expect(last.events.map((e) => e.sequence)).toEqual([1]);
    // Exactly a page left: no further page is promised.
    expect((await eventsNewestFirst(env.DB, orgId, { beforeSequence: 4, limit: 3 })).nextBefore).toBeNull();

    const groups = await eventsNewestFirst(env.DB, orgId, { limit: 2, types: ["group.created"] });
    expect(groups.events.map((e) => [e.sequence, e.type])).toEqual([[6, "group.created"], [4, "group.created"]]);
    expect(groups.nextBefore).toBe(4);
    const both = await eventsNewestFirst(env.DB, orgId, { limit: 10, types: ["group.created", "user.created"] });
    expect(both.events.map((e) => e.sequence)).toEqual([7, 6, 5, 4, 3, 2, 1]);
    expect((await eventsNewestFirst(env.DB, orgId, { limit: 10, types: ["user.deleted"] })).events).toEqual([]);
  });

  it("reads a page backwards along an index, without sorting", async () => {
    const plan = async (sql: string, ...params: unknown[]) =>
      (await env.DB.prepare(`EXPLAIN QUERY PLAN ${sql}`).bind(...params).all<{ detail: string }>()).results.map((r) => r.detail).join("; ");
    const select = "SELECT id FROM events WHERE org_id = ? AND sequence < ?";
    expect(await plan(`${select} ORDER BY sequence DESC LIMIT 51`, "o", 9)).toMatch(/USING INDEX events_org_sequence/);
    const typed = await plan(`${select} AND type = ? ORDER BY sequence DESC LIMIT 51`, "o", 9, "user.created");
    expect(typed).toMatch(/USING INDEX events_org_type_sequence/);
    expect(typed).not.toMatch(/TEMP B-TREE/);
  });
});

describe("Organization › Events and Webhooks pages", () => {
  it("send a visitor without a session to sign in", async () => {
    for (const path of ["/admin/orgs/x/events?type=user.created", "/admin/orgs/x/webhooks"]) {
      const res = await page(path);
      expect(res.status, path).toBe(303);
      expect(res.headers.get("Location"), path).toBe(`/admin/sign-in?next=${encodeURIComponent(path)}`);
    }
  });

  it("list the org's events newest first, a page at a time, with the type filter from the address bar", async () => {
    const session = await consoleSignIn();
    const orgId = await newOrg("Stream");
    const other = await newOrg("Someone else");
    await seedEvents(orgId, EVENTS_PAGE_SIZE + 10);
    await seedEvents(other, 5);
    const base = `/admin/orgs/${orgId}/events`;

    const newest = await html(base, session);
    expect(listed(newest)).toEqual(Array.from({ length: EVENTS_PAGE_SIZE }, (_, i) => EVENTS_PAGE_SIZE + 10 - i));
    expect(newest).toContain('<code class="event-type">group.created</code>');
    expect(newest).toContain("group-60");
    expect(newest).toContain('<time datetime="2026-01-02T03:04:05.000Z">2026-01-02 03:04:05 UTC</time>');
    expect(newest).toContain(`<a href="${base}?before=11">Older events</a>`);
    expect(newest).not.toContain("Newest events");
    expect(newest).toContain('<option value="" selected="">All types</option>');
    for (const type of EVENT_TYPES) expect(newest).toContain(`<option value="${type}">${type}</option>`);

    const older = await html(`${base}?before=11`, session);
    expect(listed(older)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    expect(older).toContain(`<a href="${base}">Newest events</a>`);
    expect(older).not.toContain("Older events");

    // The filter comes from the address bar; the pages' links keep it.
    const users = await html(`${base}?type=user.created`, session);
    expect(listed(users)).toEqual(Array.from({ length: 30 }, (_, i) => 59 - 2 * i));
    expect(users).toMatch(/<option value="user.created" selected="">user.created<\/option>/);
    expect(users.match(/selected/g)).toHaveLength(1);
    expect(users).not.toContain("Older events");
    const firstGroups = await html(`${base}?type=group.created&before=60`, session);
    expect(listed(firstGroups)).toEqual(Array.from({ length: 29 }, (_, i) => 58 - 2 * i));
    expect(firstGroups).toContain(`<a href="${base}?type=group.created">Newest events</a>`);
    expect(await html(`${base}?type=user.deleted`, session)).toContain("No user.deleted events in the last 30 days.");

    // An unknown type or position shows the newest page of every type.
    for (const query of ["?type=bogus", "?before=-3", "?before=abc", "?type=%3Cscript%3E"]) {
      const body = await html(base + query, session);
      expect(listed(body)[0], query).toBe(EVENTS_PAGE_SIZE + 10);
      expect(body, query).toContain('<option value="" selected="">All types</option>');
    }
    expect(listed(await html(`/admin/orgs/${other}/events`, session))).toEqual([5, 4, 3, 2, 1]);
  });

  it("show the events a SCIM request wrote, escaping what the identity provider sent", async () => {
    const session = await consoleSignIn();
    const scim = await newScimOrg({ name: "Provisioned" });
    const created = await scim.call("POST", "/Users", { schemas: [CORE_USER], userName: '<img src=x onerror="alert(1)">@example.com' });
    expect(created.status).toBe(201);
    const body = await html(`/admin/orgs/${scim.orgId}/events`, session);
    expect(listed(body)).toEqual([1]);
    expect(body).toContain('<code class="event-type">user.created</code>');
    expect(body).toContain(`&quot;id&quot;: &quot;${created.body.id}&quot;`); // the data, as JSON
    expect(body).not.toContain("<img src=x");
    expect(body).toContain("&lt;img src=x");
    expect(await html(`/admin/orgs/${(await admin("POST", "/orgs", { name: "Quiet" })).body.id}/events`, session)).toContain(
      "No events in the last 30 days.",
    );
  });

  it("link both pages from the org's navigation; the webhooks page has its form and its script", async () => {
    const session = await consoleSignIn();
    const orgId = await newOrg("Hooks");
    const body = await html(`/admin/orgs/${orgId}/webhooks`, session);
    expect(body).toContain(`<a href="/admin/orgs/${orgId}/webhooks" aria-current="page">Webhooks</a>`);
    expect(body).toContain(`<a href="/admin/orgs/${orgId}/events">Events</a>`);
    expect(body).toContain('<script defer="" src="/admin/assets/webhooks.js"></script>');
    expect(body).toMatch(/<input type="url" id="webhook-url" name="url" required=""/);
    for (const type of EVENT_TYPES) expect(body).toContain(`<input type="checkbox" name="eventTypes" value="${type}"/>`);
    expect(body).toMatch(/<input type="radio" name="format" value="json" checked=""/);
    expect(body).toMatch(/<input type="radio" name="format" value="set"/);
    expect(body).toContain("you won&#39;t see it again");
    const events = await html(`/admin/orgs/${orgId}/events`, session);
    expect(events).toContain(`<a href="/admin/orgs/${orgId}/events" aria-current="page">Events</a>`);
    expect(events).toContain('<script defer="" src="/admin/assets/events.js"></script>');
  });
});

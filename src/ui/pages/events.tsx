/**
 * Organization › Events: the org's directory events, newest first, as the pull API and the webhooks
 * carry them. The route reads a page (keyset, by sequence) and hands it here; the type filter and the
 * page are in the address bar (`?type=…&before=…`). Opening an event shows its data, and events.js
 * loads its deliveries per webhook endpoint, each with Redeliver.
 */
import { Section } from "../components";
import type { PageSession } from "../layout";
import { OrgPage, type OrgView } from "../org-page";
import { consolePaths } from "../paths";

/** An event as the route hands it: the pull API's shape (`occurredAt` in RFC 3339). */
export interface EventView {
  id: string;
  type: string;
  sequence: number;
  occurredAt: string;
  data: unknown;
}

export interface EventsPageProps {
  session: PageSession;
  org: OrgView;
  /** Every event type, for the filter. */
  eventTypes: readonly string[];
  /** The type shown ("" for all) and the page's upper bound (undefined for the newest page). */
  filter: { type: string; before?: number };
  events: EventView[];
  /** The `before` of the next, older page; null on the last one. */
  nextBefore: number | null;
}

/** An ISO instant as the console's scripts print it (console.js formatTime). */
const formatTime = (iso: string) => iso.replace("T", " ").replace(/\.\d+Z$/, " UTC");

const text = (value: unknown) => (typeof value === "string" ? value : null);
const record = (value: unknown): Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};

/** What an event is about, in a few words: the user or group, or who joined or left which group. */
export function eventSubject(data: unknown): string | null {
  const d = record(data);
  const user = record(d.user);
  const group = record(d.group);
  if (text(user.userName) && text(group.displayName)) return `${user.userName} in ${group.displayName}`;
  const resource = record(d.resource);
  return text(resource.userName) ?? text(resource.displayName);
}

function changed(data: unknown): string | null {
  const names = record(data).changedAttributes;
  return Array.isArray(names) && names.length ? `changed: ${names.join(", ")}` : null;
}

function EventItem({ event, webhooksHref }: { event: EventView; webhooksHref: string }) {
  const subject = eventSubject(event.data);
  const change = changed(event.data);
  return (
    <li>
      <details class="event" data-event-id={event.id} data-sequence={String(event.sequence)}>
        <summary>
          <span class="event-seq">
            <span class="visually-hidden">Event </span>#{event.sequence}
          </span>
          <code class="event-type">{event.type}</code>
          <span class="event-subject">
            {subject ?? <span class="muted">—</span>}
            {change ? <span class="event-changed muted"> ({change})</span> : null}
          </span>
          <time datetime={event.occurredAt}>{formatTime(event.occurredAt)}</time>
        </summary>
        <div class="event-body">
          <dl class="event-facts">
            <dt>Event id</dt>
            <dd>
              <code>{event.id}</code>
            </dd>
          </dl>
          <h3>Data</h3>
          <pre class="event-data">{JSON.stringify(event.data, null, 2)}</pre>
          <h3>Deliveries</h3>
          <div class="deliveries" data-webhooks-href={webhooksHref} aria-live="polite">
            <p class="muted">Loading…</p>
          </div>
          <div class="notice error" role="alert" hidden></div>
          <button type="button" class="small" data-refresh-deliveries>
            Refresh deliveries<span class="visually-hidden"> of event #{event.sequence}</span>
          </button>
        </div>
      </details>
    </li>
  );
}

export function EventsPage({ session, org, eventTypes, filter, events, nextBefore }: EventsPageProps) {
  const here = consolePaths.events(org.id);
  const withType = (extra: Record<string, string>) => {
    const params = new URLSearchParams({ ...(filter.type ? { type: filter.type } : {}), ...extra });
    const query = params.toString();
    return query ? `${here}?${query}` : here;
  };
  const range = events.length ? `Events #${events[0].sequence} to #${events[events.length - 1].sequence}` : "";
  return (
    <OrgPage session={session} org={org} section="events" heading="Events" script="events.js">
      <p class="lead">
        Every change to this organization's directory, newest first, as the event stream (
        <code>GET /api/v1/orgs/{"{orgId}"}/events</code>) and the webhooks deliver it. Events are kept for 30 days. Open
        an event to see its data and how each webhook endpoint received it.
      </p>
      <Section id="events-heading" title="Event stream">
        <form id="event-filter" class="toolbar search" role="search" aria-label="Events" method="get" action={here}>
          <div class="field">
            <label for="event-type">Type</label>
            <select id="event-type" name="type">
              <option value="" selected={filter.type === ""}>
                All types
              </option>
              {eventTypes.map((type) => (
                <option value={type} selected={type === filter.type}>
                  {type}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" class="primary">
            Show
          </button>
        </form>
        {events.length === 0 ? (
          <p class="empty muted" id="events-empty">
            {filter.before !== undefined
              ? "No older events."
              : filter.type
                ? `No ${filter.type} events in the last 30 days.`
                : "No events in the last 30 days. They appear here as the identity provider changes the directory."}
          </p>
        ) : (
          <ol class="event-list" id="event-list" aria-labelledby="events-heading">
            {events.map((event) => (
              <EventItem event={event} webhooksHref={consolePaths.webhooks(org.id)} />
            ))}
          </ol>
        )}
        <nav class="pager" aria-label="Pages of events">
          {filter.before !== undefined ? <a href={withType({})}>Newest events</a> : <span></span>}
          <p class="pager-status">{range}</p>
          {nextBefore !== null ? <a href={withType({ before: String(nextBefore) })}>Older events</a> : <span></span>}
        </nav>
      </Section>
    </OrgPage>
  );
}

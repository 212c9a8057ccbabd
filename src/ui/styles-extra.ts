/**
 * Console styles added by issue 17 (appended to CONSOLE_CSS in ./assets.ts, kept apart so that the
 * shared stylesheet changes little): the enable switch drawn as a switch, directory cells that never
 * break a word (a wide table scrolls sideways in its own box; on a phone, long names end in an
 * ellipsis), the user actions' note, the connection status cards, the provisioning log folded to one
 * line per entry on a phone; and, from issue 14, Organization › Events (an event per disclosure row,
 * its data and its deliveries as cards) and Organization › Webhooks.
 */
export const CONSOLE_EXTRA_CSS = `
.switch input[role="switch"] { appearance: none; -webkit-appearance: none; position: relative; flex: none; width: 2.75rem; height: 1.5rem;
  margin: 0; border: 1px solid #6e7781; border-radius: 999px; background: #d0d7de; cursor: pointer; transition: background 0.15s; }
.switch input[role="switch"]::before { content: ""; position: absolute; top: 2px; left: 2px; width: calc(1.5rem - 6px); height: calc(1.5rem - 6px);
  border-radius: 50%; background: #fff; border: 1px solid #6e7781; box-sizing: border-box; transition: transform 0.15s; }
.switch input[role="switch"]:checked { background: var(--accent); border-color: var(--accent); }
.switch input[role="switch"]:checked::before { transform: translateX(1.25rem); border-color: var(--accent); }
.switch input[role="switch"]:disabled { opacity: 0.6; cursor: progress; }
@media (prefers-reduced-motion: reduce) { .switch input[role="switch"], .switch input[role="switch"]::before { transition: none; } }

/* Positioned, so that absolutely positioned content (visually hidden labels) stays inside the scrolling box. */
.table-scroll { overflow-x: auto; position: relative; }
.directory td { word-break: normal; overflow-wrap: normal; }
.directory td[data-label="Created"] { white-space: nowrap; }
/* A userName or group name is one unit: not even split at its hyphens. */
.directory td[data-label="User"] > :first-child, .directory .group-list li { white-space: nowrap; }
@media (max-width: 48rem) {
  .directory td[data-label="User"] > *, .directory .group-list li { display: block; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
  .directory td[data-label="Created"] { white-space: normal; }
}

.provider-steps { padding-left: 1.5rem; max-width: 48rem; }
.provider-steps li { margin: 0 0 0.5rem; }
.provider-steps li .field { margin: 0; }
.provider-guide[hidden] { display: none; }

/* SCIM Configuration › Connection status: one card per token, side by side where there is room. */
.status-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 22rem), 1fr)); gap: 1rem; margin-top: 0.75rem; }
.status-card { border: 1px solid var(--border); border-radius: 8px; padding: 0.75rem 1rem; background: var(--panel); min-width: 0; }
.status-card h3 { margin: 0 0 0.5rem; font-size: 1rem; overflow-wrap: anywhere; }
.status-card dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.35rem 0.75rem; margin: 0 0 0.75rem; }
.status-card dt { color: var(--muted); font-weight: 600; }
.status-card dd { margin: 0; overflow-wrap: anywhere; }
.status-card .mono { font-size: 0.8rem; }
.status-card .status-errors { color: var(--err-fg); font-weight: 600; }
@media (max-width: 30rem) { .status-card dl { grid-template-columns: minmax(0, 1fr); } .status-card dd { margin-bottom: 0.35rem; } }

/* Provisioning log: on a phone, each entry is one line (a button: time, request, status) until opened. */
.log .log-toggle { display: none; }
/* A userName or group name in a logged path is one unit at desktop widths (the issue's "never mid-word"). */
.log .request a { font-family: inherit; white-space: nowrap; }
@media (max-width: 48rem) { .log .request a { white-space: normal; } }
@media (max-width: 30rem) {
  .log .log-toggle { display: flex; align-items: center; gap: 0.5rem; width: 100%; margin: 0; padding: 0.35rem 0; border: 0; background: none; text-align: left; font: inherit; color: inherit; }
  .log .log-toggle::after { content: "▸"; color: var(--muted); }
  .log .log-toggle[aria-expanded="true"]::after { content: "▾"; }
  .log .log-toggle-time { flex: none; color: var(--muted); font-size: 0.85rem; }
  .log .log-toggle-request { flex: 1; min-width: 0; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.85rem; }
  table.log td[data-label="Time"]::before { display: none; }
  table.log tr:not(.open) > td[data-label]:not([data-label="Time"]), table.log tr:not(.open) td[data-label="Time"] > time { display: none; }
  table.log tr { padding: 0.1rem 0.75rem; }
}

.nav-toggle { display: none; }
@media (max-width: 48rem) {
  .nav-toggle { display: inline-block; }
  .nav-toggle[hidden] { display: none; }
  .sidenav-groups.foldable:not(.open) { display: none; }
}

/* Organization › Events: one disclosure row per event; open, its data and a card per delivery. */
.event-list { list-style: none; margin: 0; padding: 0; border-top: 1px solid var(--border); }
.event-list > li { border-bottom: 1px solid var(--border); }
.event > summary { display: grid; grid-template-columns: 1rem 4.5rem 12rem minmax(0, 1fr) auto; gap: 0.15rem 0.75rem; align-items: baseline;
  padding: 0.6rem 0.5rem; cursor: pointer; list-style: none; }
.event > summary::-webkit-details-marker { display: none; }
.event > summary::before { content: "▸" / ""; color: var(--muted); }
.event[open] > summary::before { content: "▾" / ""; }
.event > summary:hover { background: var(--panel); }
.event-seq { font-variant-numeric: tabular-nums; color: var(--muted); }
.event-subject { overflow-wrap: anywhere; }
.event > summary time { color: var(--muted); font-size: 0.9rem; white-space: nowrap; }
.event-body { padding: 0 0.5rem 1rem 2.25rem; }
.event-body h3 { font-size: 1rem; margin: 1rem 0 0.4rem; }
.event-facts, .delivery-facts { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 0.75rem; margin: 0; font-size: 0.9rem; }
.event-facts dt, .delivery-facts dt { color: var(--muted); }
.event-facts dd, .delivery-facts dd { margin: 0; overflow-wrap: anywhere; }
.event-data { margin: 0; padding: 0.75rem; background: var(--panel); border: 1px solid var(--border); border-radius: 6px;
  font-size: 0.85rem; white-space: pre-wrap; overflow-wrap: anywhere; }
.delivery-list { list-style: none; margin: 0 0 0.75rem; padding: 0; display: grid; gap: 0.75rem; }
.delivery { border: 1px solid var(--border); border-radius: 8px; padding: 0.75rem 1rem; }
.delivery-head { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem; margin-bottom: 0.5rem; }
.delivery-url, .event-body > .notice { overflow-wrap: anywhere; }
.delivery .delivery-facts { margin-bottom: 0.75rem; }
@media (max-width: 48rem) {
  .event > summary { grid-template-columns: 1rem auto minmax(0, 1fr); }
  .event > summary > .event-subject, .event > summary > time { grid-column: 2 / -1; }
  .event-body { padding-left: 0.5rem; }
}

/* Organization › Webhooks. A URL is one long word: wherever one is printed (the shown-once secret's
   heading, the test result, the confirmations) it breaks inside its own box rather than widening the page. */
.new-token h3 { overflow-wrap: anywhere; }
#webhook-test-result, #webhook-table-error, #rotate-description, #delete-description { overflow-wrap: anywhere; }
fieldset.choice.event-types { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.35rem 1.5rem; margin-bottom: 0.25rem; }
fieldset.choice.event-types + .hint { margin: 0 0 1rem; }
fieldset.choice.formats { flex-direction: column; gap: 0.5rem; margin-top: 1rem; }
.format-option .hint { margin: 0 0 0 1.75rem; }
.webhooks .webhook-url { overflow-wrap: anywhere; }
.webhooks .type-list { list-style: none; margin: 0; padding: 0; }
.webhooks .row-actions { display: flex; flex-direction: column; align-items: stretch; gap: 0.4rem; }
.webhooks .row-actions button { white-space: nowrap; }
@media (max-width: 48rem) {
  .webhooks .row-actions { flex-direction: row; flex-wrap: wrap; align-items: center; }
}
`;

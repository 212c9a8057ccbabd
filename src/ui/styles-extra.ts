/**
 * Console styles added by issue 17 (appended to CONSOLE_CSS in ./assets.ts, kept apart so that the
 * shared stylesheet changes little): the enable switch drawn as a switch, directory cells that never
 * break a word (a wide table scrolls sideways in its own box; on a phone, long names end in an
 * ellipsis), the user actions' note, the connection status cards, the provisioning log folded to one
 * line per entry on a phone.
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
`;

/**
 * Console styles added by issue 17 (appended to CONSOLE_CSS in ./assets.ts, kept apart so that the
 * shared stylesheet changes little): the enable switch drawn as a switch, directory cells that never
 * break a word (a wide table scrolls sideways in its own box; on a phone, long names end in an
 * ellipsis), the user actions' note.
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

.nav-toggle { display: none; }
@media (max-width: 48rem) {
  .nav-toggle { display: inline-block; }
  .nav-toggle[hidden] { display: none; }
  .sidenav-groups.foldable:not(.open) { display: none; }
}
`;

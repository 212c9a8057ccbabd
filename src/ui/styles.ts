/** The console's one stylesheet, served as /admin/assets/console.css (CSP: style-src 'self'). */
export const CONSOLE_CSS = `
:root {
  color-scheme: light;
  --fg: #1f2328; --muted: #57606a; --border: #d0d7de; --bg: #ffffff; --panel: #f6f8fa;
  --accent: #0b57d0; --accent-hover: #0842a0; --danger: #b42318; --focus: #0969da;
  --ok-bg: #dafbe1; --ok-fg: #116329; --err-bg: #ffebe9; --err-fg: #a40e26;
  --warn-bg: #fff8c5; --warn-border: #d4a72c; --warn-fg: #3b2e00; --current: #ddf4ff;
}
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
main:focus { outline: none; }
code, .mono { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9em; }
.mono { overflow-wrap: anywhere; }
.visually-hidden { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
.skip-link { position: absolute; left: -10000px; top: 0.5rem; background: var(--bg); padding: 0.5rem 1rem; z-index: 10; }
.skip-link:focus { left: 0.5rem; }

.topbar { display: flex; align-items: center; gap: 1rem; flex-wrap: wrap; padding: 0.75rem 1.5rem; background: var(--panel); border-bottom: 1px solid var(--border); }
.brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); text-decoration: none; margin-right: auto; }
.brand-sub { font-weight: 400; color: var(--muted); }
.topbar nav { display: flex; gap: 1rem; }
.topbar nav a { color: var(--fg); }

.layout { display: grid; grid-template-columns: 17rem minmax(0, 1fr); gap: 2rem; max-width: 84rem; margin: 0 auto; padding: 1.5rem; }
.layout.single { grid-template-columns: minmax(0, 1fr); max-width: 64rem; }
.sidenav-org { font-weight: 700; margin: 0 0 0.5rem; overflow-wrap: anywhere; }
.sidenav h2 { font-size: 0.8rem; text-transform: uppercase; letter-spacing: 0.04em; color: var(--muted); margin: 1rem 0 0.25rem; }
.sidenav ul { list-style: none; margin: 0; padding: 0; }
.sidenav a { display: block; padding: 0.4rem 0.6rem; border-radius: 6px; color: var(--fg); text-decoration: none; }
.sidenav a:hover { background: var(--panel); text-decoration: underline; }
.sidenav a[aria-current="page"] { background: var(--current); font-weight: 600; }

.breadcrumbs ol { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem; padding: 0; margin: 0 0 0.5rem; color: var(--muted); font-size: 0.9rem; }
.breadcrumbs li + li::before { content: "›" / ""; margin-right: 0.25rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.25rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 0 0 0.75rem; }
h3 { font-size: 1.05rem; margin: 1.5rem 0 0.5rem; }
.lead { color: var(--muted); max-width: 50rem; }

.card { border: 1px solid var(--border); border-radius: 8px; padding: 1.25rem; margin: 0 0 1.5rem; background: var(--bg); }
.card.narrow { max-width: 30rem; }
.field { margin: 0 0 1rem; }
.field.inline { display: flex; align-items: center; gap: 0.5rem; margin: 0; }
.field.inline label { margin: 0; }
label { display: block; font-weight: 600; margin: 0 0 0.25rem; }
.hint { color: var(--muted); font-size: 0.9rem; margin: 0.25rem 0 0; }
input[type="text"], input[type="password"], input[type="search"], input[type="url"], select {
  font: inherit; color: var(--fg); background: var(--bg); width: 100%; max-width: 32rem;
  padding: 0.45rem 0.6rem; border: 1px solid #6e7781; border-radius: 6px;
}
.field.inline select { width: auto; }
input[readonly] { background: var(--panel); }
textarea { font: 0.85rem/1.4 ui-monospace, monospace; color: var(--fg); background: var(--bg); width: 100%; max-width: 48rem; box-sizing: border-box;
  padding: 0.45rem 0.6rem; border: 1px solid #6e7781; border-radius: 6px; }
fieldset.choice { border: 0; padding: 0; margin: 0 0 1rem; display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; }
fieldset.choice legend { font-weight: 600; margin-bottom: 0.25rem; }
fieldset.choice label { display: inline-flex; align-items: center; gap: 0.4rem; font-weight: 400; margin: 0; }
button { font: inherit; font-weight: 600; color: var(--fg); background: var(--bg); padding: 0.45rem 1rem; border: 1px solid #6e7781; border-radius: 6px; cursor: pointer; }
button:hover { background: var(--panel); }
button.primary { color: #fff; background: var(--accent); border-color: var(--accent); }
button.primary:hover { background: var(--accent-hover); }
button.danger { color: #fff; background: var(--danger); border-color: var(--danger); }
button.small { padding: 0.2rem 0.6rem; font-size: 0.9rem; }
button:disabled { opacity: 0.6; cursor: not-allowed; }
.toolbar { display: flex; flex-wrap: wrap; align-items: center; gap: 0.75rem; margin: 0 0 1rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; justify-content: flex-end; margin-top: 1rem; }

.copy-row { display: flex; gap: 0.5rem; max-width: 44rem; }
.copy-row input { flex: 1; min-width: 0; max-width: none; font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: 0.9rem; }
.switch { display: flex; align-items: center; gap: 0.75rem; flex-wrap: wrap; }
.switch input { width: 1.25rem; height: 1.25rem; margin: 0; }
.switch label { margin: 0; }
.switch + .hint { margin-bottom: 1.25rem; }
.new-token, .issued { border: 2px solid var(--warn-border); border-radius: 8px; padding: 1rem 1.25rem; margin: 1.5rem 0; }
.new-token h3, .issued h3 { margin-top: 0; }
.issued:focus { outline: 3px solid var(--focus); outline-offset: 2px; }

.badge { display: inline-block; padding: 0 0.55rem; border-radius: 999px; font-size: 0.85rem; font-weight: 600; white-space: nowrap; }
.badge.ok { background: var(--ok-bg); color: var(--ok-fg); }
.badge.err { background: var(--err-bg); color: var(--err-fg); }
.badge.muted { background: #eaeef2; color: #424a53; }
.badge.warn { background: var(--warn-bg); color: var(--warn-fg); border: 1px solid var(--warn-border); }
.notice { padding: 0.75rem 1rem; border: 1px solid; border-radius: 6px; margin: 1rem 0; }
.notice.warning { background: var(--warn-bg); border-color: var(--warn-border); color: var(--warn-fg); }
.notice.error { background: var(--err-bg); border-color: #ff8182; color: var(--err-fg); }
.notice.success { background: var(--ok-bg); border-color: #4ac26b; color: var(--ok-fg); }
.notice.info { background: var(--current); border-color: #54aeff; color: var(--fg); max-width: 60rem; }

table { width: 100%; border-collapse: collapse; font-size: 0.95rem; }
th, td { text-align: left; vertical-align: top; padding: 0.5rem 0.6rem; border-bottom: 1px solid var(--border); }
th { font-size: 0.85rem; color: var(--muted); }
td.empty { color: var(--muted); }
.log .request { overflow-wrap: anywhere; }
.log .query { color: var(--muted); font-size: 0.85rem; }
.log .detail-text { overflow-wrap: anywhere; }
.log details { margin-top: 0.25rem; font-size: 0.9rem; }
.log details dl { display: grid; grid-template-columns: max-content minmax(0, 1fr); gap: 0.15rem 0.75rem; margin: 0.4rem 0 0; }
.log details dt { color: var(--muted); }
.log details dd { margin: 0; overflow-wrap: anywhere; }
.log ul.ops { margin: 0; padding-left: 1.1rem; }
.muted { color: var(--muted); }

/* Search forms: the controls line up on their inputs (labels above, the hint below the search box). */
.toolbar.search { align-items: flex-start; }
.toolbar.search .field { margin: 0; flex: 0 1 auto; }
.toolbar.search .field:has(input) { flex: 0 1 28rem; }
.toolbar.search > button { margin-top: 1.75rem; }
.directory td.number { font-variant-numeric: tabular-nums; }
.group-list { list-style: none; margin: 0; padding: 0; }
.pager { display: flex; align-items: center; justify-content: space-between; gap: 0.75rem; flex-wrap: wrap; margin-top: 1rem; }
.pager-status { margin: 0; color: var(--muted); font-variant-numeric: tabular-nums; }

dialog { border: 1px solid var(--border); border-radius: 8px; padding: 1.5rem; max-width: min(30rem, calc(100vw - 2rem)); }
dialog::backdrop { background: rgba(0, 0, 0, 0.45); }

@media (max-width: 48rem) {
  .topbar { padding: 0.75rem 1rem; }
  .layout { grid-template-columns: minmax(0, 1fr); gap: 1rem; padding: 1rem; }
  .sidenav { border-bottom: 1px solid var(--border); padding-bottom: 0.75rem; }
  .card { padding: 1rem; }
  .toolbar.search > button { margin-top: 0; align-self: flex-end; }
  .pager-status { order: -1; flex-basis: 100%; }
  /* Tables become one card per row, each cell labelled by its column. */
  table.responsive thead { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); }
  table.responsive, table.responsive tbody, table.responsive tr, table.responsive td { display: block; width: 100%; }
  table.responsive tr { border: 1px solid var(--border); border-radius: 8px; margin: 0 0 0.75rem; padding: 0.25rem 0.75rem; }
  table.responsive td { border: none; padding: 0.3rem 0; }
  table.responsive td[data-label]::before { content: attr(data-label); display: block; font-size: 0.8rem; font-weight: 600; color: var(--muted); }
}
`;

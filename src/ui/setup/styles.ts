/**
 * The setup page's stylesheet, served from /setup/setup.css (the CSP allows no inline styles). One
 * visual language with the console: the console's own colour tokens (its `:root` block, taken from
 * CONSOLE_CSS so the two cannot drift), font, top bar, buttons, fields and notices.
 */
import { CONSOLE_CSS } from "../styles";

const CONSOLE_TOKENS = /:root \{[^}]*\}/.exec(CONSOLE_CSS)?.[0] ?? "";

export const SETUP_STYLES = `
${CONSOLE_TOKENS}
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; }
.topbar { display: flex; align-items: center; gap: 1rem; padding: 0.75rem 1.5rem; background: var(--panel); border-bottom: 1px solid var(--border); }
.brand { font-weight: 700; font-size: 1.1rem; color: var(--fg); }
main { max-width: 36rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; line-height: 1.25; margin: 0.25rem 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 0.5rem; }
.asker { font-size: 1.05rem; padding: 0.75rem 1rem; background: var(--current); border: 1px solid #54aeff; border-radius: 6px; overflow-wrap: break-word; }
.asker[hidden] { display: none; }
form { display: grid; gap: 0.4rem; margin: 1rem 0; }
label { font-weight: 600; margin-top: 0.6rem; }
input { font: inherit; color: var(--fg); background: var(--bg); padding: 0.45rem 0.6rem; border: 1px solid #6e7781; border-radius: 6px; }
button { font: inherit; font-weight: 600; margin-top: 1rem; padding: 0.45rem 1rem; border: 1px solid var(--accent); border-radius: 6px;
  background: var(--accent); color: #fff; cursor: pointer; justify-self: start; }
button:hover { background: var(--accent-hover); }
button:disabled { opacity: 0.6; cursor: progress; }
.message:empty { display: none; }
.session-bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem; }
.session-bar[hidden] { display: none; }
.session-bar button { margin-top: 0; background: var(--bg); color: var(--fg); border-color: #6e7781; }
.session-bar button:hover { background: var(--panel); }
.message { padding: 0.75rem 1rem; border-radius: 6px; border: 1px solid #54aeff; background: var(--current); overflow-wrap: break-word; }
.message[data-kind="error"] { background: var(--err-bg); border-color: #ff8182; color: var(--err-fg); }
.message[data-kind="success"] { background: var(--ok-bg); border-color: #4ac26b; color: var(--ok-fg); }
.done { border: 1px solid #4ac26b; background: var(--ok-bg); color: var(--ok-fg); border-radius: 8px; padding: 0.25rem 1.25rem 0.75rem; margin: 1rem 0 1.5rem; }
.done[hidden] { display: none; }
.done:focus { outline: none; }
.done h2 { margin-top: 0.75rem; }
.done ul { padding-left: 1.25rem; }
`;

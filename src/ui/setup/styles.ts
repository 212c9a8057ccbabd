/** The setup page's stylesheet, served from /setup/setup.css (the CSP allows no inline styles). */
export const SETUP_STYLES = `
:root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; line-height: 1.5; }
body { margin: 0; padding: 2rem 1rem; }
main { max-width: 34rem; margin: 0 auto; }
h1 { font-size: 1.6rem; margin: 0 0 1rem; }
h2 { font-size: 1.2rem; margin: 1.5rem 0 0.5rem; }
form { display: grid; gap: 0.4rem; margin: 1rem 0; }
label { font-weight: 600; margin-top: 0.6rem; }
input { font: inherit; padding: 0.55rem 0.65rem; border: 1px solid #767676; border-radius: 6px; }
button { font: inherit; margin-top: 1rem; padding: 0.6rem 1rem; border: 0; border-radius: 6px;
  background: #1a56c4; color: #fff; cursor: pointer; justify-self: start; }
button:disabled { background: #767676; cursor: progress; }
:focus-visible { outline: 3px solid #f0b400; outline-offset: 2px; }
.message:empty { display: none; }
.session-bar { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem; }
.session-bar[hidden] { display: none; }
.session-bar button { margin-top: 0; background: transparent; color: inherit; border: 1px solid #767676; }
.message { padding: 0.6rem 0.8rem; border-radius: 6px; border: 1px solid #767676; overflow-wrap: anywhere; }
.message[data-kind="error"] { border-color: #b3261e; color: #b3261e; }
.message[data-kind="success"] { border-color: #1e7b34; color: #1e7b34; }
@media (prefers-color-scheme: dark) {
  .message[data-kind="error"] { color: #ff8a80; border-color: #ff8a80; }
  .message[data-kind="success"] { color: #7ee29a; border-color: #7ee29a; }
}
`;

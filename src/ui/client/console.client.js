// Shared by every console page: the admin API client, DOM helpers, copy buttons and sign-out.
// Everything the console does goes through /api/v1, authenticated by the session cookie; writes
// carry the session's CSRF token from <meta name="csrf-token">.
"use strict";

class ApiFailure extends Error {
  /** @param {number} status @param {string} message @param {string} [field] */
  constructor(status, message, field) {
    super(message);
    this.status = status;
    this.field = field;
  }
}

function csrfToken() {
  const meta = document.querySelector('meta[name="csrf-token"]');
  return meta ? meta.getAttribute("content") || "" : "";
}

function signInUrl() {
  return "/admin/sign-in?next=" + encodeURIComponent(location.pathname + location.search);
}

/**
 * Calls the admin API and returns its JSON (null for 204). Throws ApiFailure with the API's message;
 * a 401 means the session ended, so the browser goes back to sign-in.
 * @param {string} method @param {string} path @param {unknown} [body]
 */
async function api(method, path, body) {
  /** @type {Record<string, string>} */
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET") headers["X-CSRF-Token"] = csrfToken();
  const res = await fetch("/api/v1" + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    credentials: "same-origin",
    cache: "no-store",
  });
  const text = await res.text();
  let json = null;
  try {
    json = text ? JSON.parse(text) : null;
  } catch {
    json = null;
  }
  if (res.status === 401) {
    location.assign(signInUrl());
    throw new ApiFailure(401, "Your console session has ended. Sign in again.");
  }
  if (!res.ok) {
    const error = json && json.error ? json.error : {};
    throw new ApiFailure(res.status, error.message || "The request failed (" + res.status + ")", error.field);
  }
  return json;
}

/**
 * Creates an element. Attributes with value true become empty attributes, false/null/undefined are
 * skipped; children are nodes or text (never parsed as HTML).
 * @param {string} tag @param {Record<string, any>} [attributes] @param {...(Node|string|number|null|undefined)} children
 * @returns {HTMLElement}
 */
function h(tag, attributes, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes || {})) {
    if (value === false || value === null || value === undefined) continue;
    el.setAttribute(name, value === true ? "" : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    el.append(typeof child === "string" || typeof child === "number" ? String(child) : child);
  }
  return el;
}

/** @param {string} id @returns {any} */
function byId(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error("missing #" + id);
  return el;
}

/** An ISO instant as text, in UTC so that it matches what other tools print. @param {string} iso */
function formatTime(iso) {
  return iso.replace("T", " ").replace(/\.\d+Z$/, " UTC");
}

/** An ISO instant as a <time>. @param {string|null} iso @param {string} [none] */
function timeElement(iso, none) {
  if (!iso) return h("span", { class: "muted" }, none || "—");
  return h("time", { datetime: iso }, formatTime(iso));
}

/** @param {string} message */
function announce(message) {
  const region = document.getElementById("announcer");
  if (!region) return;
  region.textContent = "";
  setTimeout(() => (region.textContent = message), 50);
}

/** Shows (or, with an empty message, hides) a Notice. @param {string} id @param {string} [message] */
function notify(id, message) {
  const box = byId(id);
  box.textContent = message || "";
  box.hidden = !message;
}

/** @param {unknown} err */
function messageOf(err) {
  return err instanceof Error ? err.message : String(err);
}

/** Replaces a table body's rows. @param {HTMLTableSectionElement} tbody @param {HTMLElement[]} rows @param {string} empty @param {number} columns */
function fillTable(tbody, rows, empty, columns) {
  tbody.replaceChildren(...(rows.length ? rows : [h("tr", {}, h("td", { colspan: columns, class: "empty" }, empty))]));
}

const counts = new Intl.NumberFormat("en-US");

/** @param {number} n */
function formatCount(n) {
  return counts.format(n);
}

/**
 * Drives a Pager (components.tsx) over a list the admin API pages with `nextCursor`. Previous goes
 * back through the cursors that led to each page, so any page is one request, however deep. `load`
 * shows the first page again (after a search); the status names the range shown.
 * @param {{ id: string, noun: string, total?: number,
 *   fetchPage: (cursor: string | null) => Promise<{ items: any[], nextCursor: string | null, total?: number | null }>,
 *   render: (items: any[], first: boolean) => void, fail: (err: unknown) => void }} options
 */
function cursorPager(options) {
  const previous = /** @type {HTMLButtonElement} */ (byId(options.id + "-previous"));
  const next = /** @type {HTMLButtonElement} */ (byId(options.id + "-next"));
  const status = byId(options.id + "-status");
  status.tabIndex = -1;
  /** The cursor of each page up to the one shown (null for the first) and the position of its first item. */
  /** @type {{ cursor: string | null, offset: number }[]} */
  let trail = [];
  /** @type {string | null} */
  let nextCursor = null;
  let shown = 0;
  let generation = 0;
  /** The list's size: fixed by the page, or as the first page's answer said (null: not counted). */
  /** @type {number | null | undefined} */
  let total = options.total;

  /** @param {{ cursor: string | null, offset: number }[]} wanted */
  async function show(wanted) {
    const mine = ++generation;
    const focused = document.activeElement;
    previous.disabled = next.disabled = true;
    const page = wanted[wanted.length - 1];
    try {
      const result = await options.fetchPage(page.cursor);
      if (mine !== generation) return;
      trail = wanted;
      nextCursor = result.nextCursor;
      shown = result.items.length;
      options.render(result.items, trail.length === 1);
      if (result.total !== undefined) total = result.total;
      const of = typeof total === "number" ? " of " + formatCount(total) : "";
      status.textContent = shown
        ? options.noun + " " + formatCount(page.offset + 1) + "–" + formatCount(page.offset + shown) + of
        : trail.length > 1 ? "No more " + options.noun.toLowerCase() : "";
      if (status.textContent) announce(status.textContent);
    } catch (err) {
      if (mine === generation) options.fail(err);
    } finally {
      if (mine === generation) {
        previous.disabled = trail.length <= 1;
        next.disabled = !nextCursor;
        // Keep the keyboard on the pager when the pressed button turns off (first or last page).
        if ((focused === previous || focused === next) && /** @type {HTMLButtonElement} */ (focused).disabled) {
          (!previous.disabled ? previous : !next.disabled ? next : status).focus();
        }
      }
    }
  }

  previous.addEventListener("click", () => show(trail.slice(0, -1)));
  next.addEventListener("click", () => {
    const last = trail[trail.length - 1];
    show([...trail, { cursor: nextCursor, offset: last.offset + shown }]);
  });
  return { load: () => show([{ cursor: null, offset: 0 }]) };
}

/**
 * Wires a form: refuses an empty required field, disables the submit button while `action` runs, and
 * shows the action's failure in the form's Notice (`errorId`).
 * @param {HTMLFormElement} form @param {string} errorId
 * @param {HTMLInputElement} required @param {string} emptyMessage @param {() => Promise<void>} action
 */
function wireForm(form, errorId, required, emptyMessage, action) {
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    notify(errorId);
    if (!required.value.trim()) {
      notify(errorId, emptyMessage);
      required.focus();
      return;
    }
    const button = /** @type {HTMLButtonElement} */ (form.querySelector("button[type=submit]"));
    button.disabled = true;
    try {
      await action();
    } catch (err) {
      notify(errorId, messageOf(err));
      required.focus();
    } finally {
      button.disabled = false;
    }
  });
}

/**
 * Shows a confirmation dialog (a <dialog> whose form's buttons return "confirm" or "cancel");
 * resolves true when the operator confirmed.
 * @param {HTMLDialogElement} dialog @returns {Promise<boolean>}
 */
function confirmed(dialog) {
  return new Promise((resolve) => {
    dialog.returnValue = "";
    dialog.addEventListener("close", () => resolve(dialog.returnValue === "confirm"), { once: true });
    dialog.showModal();
  });
}

/** @param {string} text */
async function copyText(text) {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    // No clipboard permission (e.g. an insecure origin): fall back to a selection copy.
    const area = h("textarea", { readonly: true, class: "visually-hidden" });
    area.textContent = text;
    document.body.append(area);
    /** @type {HTMLTextAreaElement} */ (area).select();
    const ok = document.execCommand("copy");
    area.remove();
    return ok;
  }
}

// The organization navigation folds behind a Menu button on a phone (CSS decides when it shows).
document.addEventListener("DOMContentLoaded", () => {
  const toggle = document.getElementById("org-nav-toggle");
  const groups = document.getElementById("org-nav-groups");
  if (!toggle || !groups) return;
  toggle.hidden = false;
  groups.classList.add("foldable");
  toggle.addEventListener("click", () => {
    const open = toggle.getAttribute("aria-expanded") !== "true";
    toggle.setAttribute("aria-expanded", String(open));
    groups.classList.toggle("open", open);
  });
});

document.addEventListener("click", async (event) => {
  const target = event.target instanceof Element ? event.target.closest("[data-copy]") : null;
  if (!(target instanceof HTMLButtonElement)) return;
  const input = /** @type {HTMLInputElement} */ (byId(target.dataset.copy || ""));
  const label = target.dataset.copyLabel || "Value";
  if (await copyText(input.value)) {
    announce(label + " copied to the clipboard");
    target.firstChild.textContent = "Copied";
    setTimeout(() => (target.firstChild.textContent = "Copy"), 2000);
  } else {
    input.select();
    announce("Copy failed: the value is selected, press Ctrl+C to copy it");
  }
});

document.addEventListener("DOMContentLoaded", () => {
  const signOut = document.getElementById("sign-out");
  if (!signOut) return;
  signOut.addEventListener("click", async () => {
    try {
      await api("DELETE", "/console/session");
    } catch {
      // Already signed out or unreachable: the sign-in page is the right place either way.
    }
    location.assign("/admin/sign-in");
  });
});

// Shared by the Directory pages (users, groups, one group): how a user's state is shown, console
// links, and search forms that page through the admin API and keep their terms in the address bar.
"use strict";

const directoryOrgId = document.body.dataset.orgId || "";

/** An admin API path under the page's organization. @param {string} rest */
function orgApiPath(rest) {
  return "/orgs/" + encodeURIComponent(directoryOrgId) + rest;
}

/** A console URL under the page's organization's directory. @param {string} rest */
function directoryUrl(rest) {
  return "/admin/orgs/" + encodeURIComponent(directoryOrgId) + "/directory" + rest;
}

/** The userName, and the displayName beneath it when there is one. @param {any} user @param {string} [href] */
function userCell(user, href) {
  const name = href ? h("a", { href }, user.userName) : h("span", { class: "user-name" }, user.userName);
  return h("td", { "data-label": "User" }, name, user.displayName ? h("div", { class: "muted" }, user.displayName) : null);
}

/** @param {any} user */
function statusCell(user) {
  return h(
    "td",
    { "data-label": "Status" },
    user.active ? h("span", { class: "badge ok" }, "Active") : h("span", { class: "badge muted" }, "Deactivated"),
  );
}

/** @param {any} user */
function setupCell(user) {
  return h(
    "td",
    { "data-label": "Setup" },
    user.setupState === "complete" ? h("span", { class: "badge ok" }, "Complete") : h("span", { class: "badge warn" }, "Pending"),
  );
}

/** The form's current terms as API query parameters, plus the cursor. @param {HTMLFormElement} form @param {string | null} cursor */
function searchQuery(form, cursor) {
  const query = new URLSearchParams();
  for (const [name, value] of new FormData(form)) if (String(value).trim()) query.set(name, String(value).trim());
  if (cursor) query.set("cursor", cursor);
  return query;
}

/**
 * A search form that reloads its list instead of the page, and writes its terms into the address bar
 * (the server fills the form from them, so reload and back keep the search). Changing a <select>
 * searches at once, as the provisioning log's filter does.
 * @param {HTMLFormElement} form @param {{ load: () => Promise<void> }} pager
 */
function wireSearch(form, pager) {
  const search = () => {
    const query = searchQuery(form, null).toString();
    history.replaceState(null, "", location.pathname + (query ? "?" + query : ""));
    return pager.load();
  };
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    search();
  });
  for (const select of form.querySelectorAll("select")) select.addEventListener("change", search);
}

/**
 * A directory table (`<name>-table`, its error Notice and its `<name>-pager`) filled a page at a time
 * from an admin API list whose items are in the body's `<name>` array.
 * @param {{ name: string, noun: string, total?: number, path: (cursor: string | null) => string,
 *   row: (item: any) => HTMLElement, empty: () => string }} options
 */
function directoryTable(options) {
  const table = /** @type {HTMLTableElement} */ (byId(options.name + "-table"));
  const errorId = options.name + "-table-error";
  return cursorPager({
    id: options.name + "-pager",
    noun: options.noun,
    total: options.total,
    async fetchPage(cursor) {
      // The total is counted once, with the first page (null for a search, which is not counted).
      const page = await api("GET", orgApiPath(options.path(cursor) + (cursor || options.total !== undefined ? "" : "&total=1")));
      notify(errorId);
      return { items: page[options.name], nextCursor: page.nextCursor, ...(cursor ? {} : { total: page.total }) };
    },
    render: (items) => fillTable(table.tBodies[0], items.map(options.row), options.empty(), table.tHead.rows[0].cells.length),
    fail: (err) => notify(errorId, "Could not load the " + options.noun.toLowerCase() + ": " + messageOf(err)),
  });
}

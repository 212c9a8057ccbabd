// The provisioning log: pages of /api/v1/orgs/{id}/scim/log, newest first, filtered by status class
// and token. A user's or group's id in a path is shown as its name, linking to the directory; on a
// phone each entry is one line (time, request, status) until opened.
(() => {
  const orgId = document.body.dataset.orgId || "";
  const tbody = byId("log-table").tBodies[0];
  const filter = /** @type {HTMLSelectElement} */ (byId("log-status"));
  const more = /** @type {HTMLButtonElement} */ (byId("log-more"));
  /** @type {string | null} */
  let cursor = null;
  // The filters live in the address bar (?status=4xx&token=<id>), so a link can open a filtered log.
  const params = new URLSearchParams(location.search);
  filter.value = ["2xx", "4xx", "5xx"].includes(params.get("status") || "") ? params.get("status") || "" : "";
  const tokenId = params.get("token") || "";
  if (tokenId) {
    byId("log-token-filter").hidden = false;
    byId("log-token-name").textContent = tokenId;
  }

  /** @param {any} e */
  function operations(e) {
    if (!e.operations) return null;
    const items = e.operations.items.map((op) =>
      h(
        "li",
        {},
        h("code", {}, (op.op || "?") + (op.path ? " " + op.path : op.attributes ? " {" + op.attributes.join(", ") + "}" : "")),
        op.status ? " → " + op.status : "",
      ),
    );
    if (e.operations.count > e.operations.items.length) {
      items.push(h("li", {}, "… and " + (e.operations.count - e.operations.items.length) + " more"));
    }
    return h("ul", { class: "ops" }, ...items);
  }

  /** @param {string} term @param {Node|string|null} value */
  function pair(term, value) {
    return value === null || value === "" ? [] : [h("dt", {}, term), h("dd", {}, value)];
  }

  /** The token by its description, linking to the log of that token only. @param {any} e */
  function tokenLink(e) {
    if (!e.tokenId) return null;
    if (e.tokenDescription && tokenId === e.tokenId) byId("log-token-name").textContent = e.tokenDescription;
    const query = new URLSearchParams({ token: e.tokenId });
    if (filter.value) query.set("status", filter.value);
    return h("a", { href: "?" + query, title: "Only this token's requests" }, e.tokenDescription || e.tokenId);
  }

  const links = byId("log-entries").dataset;

  /** Where the directory shows a resource: a user by a search for its userName, a group by its page. @param {any} r */
  function directoryLink(r) {
    if (r.type === "User") return links.usersUrl + "?q=" + encodeURIComponent(r.name);
    return links.groupsUrl + "/" + encodeURIComponent(r.id);
  }

  /**
   * The request line. When the path names a user or group that still exists, its id is replaced by
   * its name, linking to the directory; otherwise (deleted, or never there) the id stays, unlinked.
   * @param {any} e
   */
  function requestLine(e) {
    const r = e.resource;
    if (!r || r.name === null) return h("code", { class: "request" }, e.method + " " + e.path);
    const prefix = e.path.slice(0, e.path.lastIndexOf("/") + 1);
    const title = (r.type === "User" ? "User " : "Group ") + r.id;
    return h("code", { class: "request" }, e.method + " " + prefix, h("a", { href: directoryLink(r), title }, r.name));
  }

  /** The entry in one line, for a phone: a button that opens the rest. @param {any} e @param {boolean} failed */
  function toggle(e, failed) {
    const path = e.path.replace(/^\/scim\/v2/, "");
    const shown = e.resource && e.resource.name !== null ? path.slice(0, path.lastIndexOf("/") + 1) + e.resource.name : path;
    return h(
      "button",
      { type: "button", class: "log-toggle", "aria-expanded": "false" },
      h("span", { class: "log-toggle-time" }, formatTime(e.at).slice(5, 16)),
      h("span", { class: "log-toggle-request" }, e.method + " " + shown),
      h("span", { class: "badge " + (failed ? "err" : "ok") }, e.status),
    );
  }

  /** @param {any} e */
  function row(e) {
    const failed = e.status >= 400;
    const extra = h(
      "details",
      { open: failed },
      h("summary", {}, "Details"),
      h(
        "dl",
        {},
        ...pair("Operations", operations(e)),
        ...pair("SCIM type", e.scimType),
        ...pair(e.resource ? e.resource.type + " id" : "", e.resource ? h("code", {}, e.resource.id) : null),
        ...pair("User-Agent", e.userAgent),
        ...pair("Token", tokenLink(e)),
      ),
    );
    return h(
      "tr",
      { "data-entry-id": e.id, class: failed ? "failed" : "" },
      h("td", { "data-label": "Time" }, toggle(e, failed), timeElement(e.at)),
      h(
        "td",
        { "data-label": "Request" },
        requestLine(e),
        e.query ? h("div", { class: "query mono" }, "?" + e.query) : null,
      ),
      h("td", { "data-label": "Status" }, h("span", { class: "log-status badge " + (failed ? "err" : "ok") }, e.status)),
      h(
        "td",
        { "data-label": "Detail" },
        e.detail ? h("div", { class: "detail-text" }, e.detail) : h("span", { class: "muted" }, "—"),
        extra,
      ),
      h("td", { "data-label": "Identity provider" }, e.idp || h("span", { class: "muted" }, "unknown")),
      h("td", { "data-label": "Duration" }, e.durationMs + " ms"),
    );
  }

  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) cursor = null;
    more.disabled = true;
    const query = new URLSearchParams();
    if (filter.value) query.set("status", filter.value);
    if (tokenId) query.set("token", tokenId);
    if (cursor) query.set("cursor", cursor);
    try {
      const page = await api("GET", "/orgs/" + encodeURIComponent(orgId) + "/scim/log?" + query);
      notify("log-table-error");
      const rows = page.entries.map(row);
      if (reset) fillTable(tbody, rows, "No requests logged" + (filter.value ? " with status " + filter.value : "") + " yet.", 6);
      else tbody.append(...rows);
      cursor = page.nextCursor;
      more.hidden = !cursor;
      announce(page.entries.length + " log entries loaded");
    } catch (err) {
      notify("log-table-error", "Could not load the log: " + messageOf(err));
    } finally {
      more.disabled = false;
    }
  }

  filter.addEventListener("change", () => {
    const address = new URLSearchParams(location.search);
    if (filter.value) address.set("status", filter.value);
    else address.delete("status");
    history.replaceState(null, "", location.pathname + (address.toString() ? "?" + address : ""));
    load(true);
  });
  // Auto-refresh is off until the admin turns it on; it reloads the first page only.
  const auto = /** @type {HTMLInputElement} */ (byId("log-auto"));
  /** @type {number | undefined} */
  let timer;
  auto.addEventListener("change", () => {
    clearInterval(timer);
    if (auto.checked) timer = window.setInterval(() => load(true), 10_000);
  });
  // On a phone an entry is one line until opened (the CSS hides the rest of a row that is not .open).
  tbody.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest(".log-toggle") : null;
    if (!(button instanceof HTMLElement)) return;
    const open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    button.closest("tr")?.classList.toggle("open", open);
  });
  byId("log-refresh").addEventListener("click", () => load(true));
  more.addEventListener("click", () => load(false));
  load(true);
})();

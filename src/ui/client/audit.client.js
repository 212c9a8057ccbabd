// The audit trail: pages of /api/v1/audit, newest first; on an organization's page, only its entries.
(() => {
  const orgId = document.body.dataset.orgId || "";
  const tbody = byId("audit-table").tBodies[0];
  const more = /** @type {HTMLButtonElement} */ (byId("audit-more"));
  const columns = orgId ? 4 : 5;
  /** @type {string | null} */
  let cursor = null;

  /** @type {Record<string, string>} */
  const ACTIONS = {
    "org.created": "Organization created",
    "scim.enabled": "SCIM provisioning switched on",
    "scim.disabled": "SCIM provisioning switched off",
    "token.created": "SCIM token created",
    "token.rotated": "SCIM token rotated",
    "token.revoked": "SCIM token revoked",
    "setup_link.issued": "Setup link issued",
    "setup.reset": "Completed setup reset",
    "rate_limit.changed": "Rate-limit level changed",
    "user_name_keys.recomputed": "userName keys recomputed",
    "console.signed_in": "Console sign-in",
    "console.signed_out": "Console sign-out",
  };

  /** @param {any} detail */
  function particulars(detail) {
    if (!detail) return null;
    const items = Object.entries(detail).map(([key, value]) => h("li", {}, key + ": " + (value === null ? "none" : String(value))));
    return h("ul", { class: "ops" }, ...items);
  }

  /** @param {any} e */
  function row(e) {
    const actor = e.actor.kind === "console_session" ? "Console session " : "Operator token ";
    return h(
      "tr",
      { "data-entry-id": e.id, "data-action": e.action },
      h("td", { "data-label": "Time" }, timeElement(e.at)),
      h("td", { "data-label": "Action" }, h("span", { class: "audit-action" }, ACTIONS[e.action] || e.action), particulars(e.detail)),
      orgId
        ? null
        : h(
            "td",
            { "data-label": "Organization" },
            e.orgId ? h("a", { href: "/admin/orgs/" + encodeURIComponent(e.orgId) + "/audit" }, e.orgId) : h("span", { class: "muted" }, "—"),
          ),
      h("td", { "data-label": "Target" }, e.target.type + " ", h("code", {}, e.target.id)),
      h(
        "td",
        { "data-label": "By" },
        actor,
        h("code", { class: "audit-actor" }, e.actor.id),
        h("div", { class: "muted" }, [e.actor.ip, e.actor.userAgent].filter(Boolean).join(" · ")),
      ),
    );
  }

  /** @param {boolean} reset */
  async function load(reset) {
    if (reset) cursor = null;
    more.disabled = true;
    const query = new URLSearchParams();
    if (orgId) query.set("orgId", orgId);
    if (cursor) query.set("cursor", cursor);
    try {
      const page = await api("GET", "/audit?" + query);
      notify("audit-table-error");
      const rows = page.entries.map(row);
      if (reset) fillTable(tbody, rows, "Nothing has been changed yet.", columns);
      else tbody.append(...rows);
      cursor = page.nextCursor;
      more.hidden = !cursor;
      announce(page.entries.length + " audit entries loaded");
    } catch (err) {
      notify("audit-table-error", "Could not load the audit trail: " + messageOf(err));
    } finally {
      more.disabled = false;
    }
  }

  more.addEventListener("click", () => load(false));
  load(true);
})();

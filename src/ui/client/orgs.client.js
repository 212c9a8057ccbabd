// Organizations: list, create, open.
(() => {
  const tbody = byId("org-table").tBodies[0];

  /** @param {{id: string, name: string, scimEnabled: boolean, createdAt: string, tokensExpiringSoon: number}} org */
  function row(org) {
    return h(
      "tr",
      {},
      h("td", { "data-label": "Name" }, h("a", { href: "/admin/orgs/" + encodeURIComponent(org.id) }, org.name)),
      h(
        "td",
        { "data-label": "SCIM provisioning" },
        h("span", { class: org.scimEnabled ? "badge ok" : "badge muted" }, org.scimEnabled ? "On" : "Off"),
      ),
      h(
        "td",
        { "data-label": "SCIM tokens" },
        org.tokensExpiringSoon > 0
          ? h("span", { class: "badge warn" }, org.tokensExpiringSoon + (org.tokensExpiringSoon === 1 ? " expires" : " expire") + " within 14 days")
          : "",
      ),
      h("td", { "data-label": "Created" }, timeElement(org.createdAt)),
    );
  }

  async function load() {
    try {
      const { orgs } = await api("GET", "/orgs");
      fillTable(tbody, orgs.map(row), "No organizations yet. Create the first one above.", 4);
    } catch (err) {
      notify("org-table-error", "Could not load the organizations: " + messageOf(err));
    }
    try {
      const { counters } = await api("GET", "/counters");
      const unknown = counters.find((c) => c.name === "scim.unknown_token");
      byId("unknown-token-count").textContent =
        "SCIM requests with unknown tokens (all organizations): " +
        (unknown ? unknown.value + ", the last at " + unknown.updatedAt.replace("T", " ").replace(/\.\d+Z$/, " UTC") : "none");
      const expiring = counters.find((c) => c.name === "scim.tokens_expiring_soon");
      byId("expiring-token-count").textContent =
        "SCIM tokens expiring within 14 days (all organizations): " + (expiring && expiring.value > 0 ? expiring.value : "none");
    } catch {
      // The counter is a nicety; the list above is what matters.
    }
  }

  const name = /** @type {HTMLInputElement} */ (byId("org-name"));
  wireForm(byId("create-org-form"), "create-org-error", name, "Enter a name for the organization.", async () => {
    const org = await api("POST", "/orgs", { name: name.value });
    location.assign("/admin/orgs/" + encodeURIComponent(org.id));
  });

  load();
})();

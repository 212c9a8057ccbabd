// Directory › Groups: pages of /api/v1/orgs/{id}/groups, searched by name, with member counts.
(() => {
  const form = /** @type {HTMLFormElement} */ (byId("group-search"));
  const tbody = byId("groups-table").tBodies[0];

  /** @param {any} group */
  function row(group) {
    return h(
      "tr",
      { "data-group-id": group.id },
      h("td", { "data-label": "Group" }, h("a", { href: directoryUrl("/groups/" + encodeURIComponent(group.id)) }, group.displayName)),
      h("td", { "data-label": "Members", class: "number" }, formatCount(group.memberCount)),
    );
  }

  const pager = cursorPager({
    id: "groups-pager",
    noun: "Groups",
    async fetchPage(cursor) {
      const page = await api("GET", orgApiPath("/groups?" + searchQuery(form, cursor)));
      notify("groups-table-error");
      return { items: page.groups, nextCursor: page.nextCursor };
    },
    render(groups) {
      fillTable(tbody, groups.map(row), searchQuery(form, null).size ? "No group name starts with that." : "No groups provisioned yet.", 2);
    },
    fail: (err) => notify("groups-table-error", "Could not load the groups: " + messageOf(err)),
  });
  wireSearch(form, pager);
  pager.load();
})();

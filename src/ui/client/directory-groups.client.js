// Directory › Groups: pages of /api/v1/orgs/{id}/groups, searched by name, with member counts.
(() => {
  const form = /** @type {HTMLFormElement} */ (byId("group-search"));

  /** @param {any} group */
  function row(group) {
    return h(
      "tr",
      { "data-group-id": group.id },
      h("td", { "data-label": "Group" }, h("a", { href: directoryUrl("/groups/" + encodeURIComponent(group.id)) }, group.displayName)),
      h("td", { "data-label": "Members", class: "number" }, formatCount(group.memberCount)),
    );
  }

  const pager = directoryTable({
    name: "groups",
    noun: "Groups",
    path: (cursor) => "/groups?" + searchQuery(form, cursor),
    row,
    empty: () => (searchQuery(form, null).toString() ? "No group name starts with that." : "No groups provisioned yet."),
  });
  wireSearch(form, pager);
  pager.load();
})();

// Directory › Groups › one group: pages of /api/v1/orgs/{id}/groups/{groupId}/members (any size).
(() => {
  const groupId = document.body.dataset.groupId || "";
  const tbody = byId("members-table").tBodies[0];

  /** @param {any} user */
  function row(user) {
    // The user's own row in Directory › Users shows their groups and, when pending, the setup link.
    const href = directoryUrl("/users?" + new URLSearchParams({ q: user.userName }));
    return h("tr", { "data-user-id": user.id }, userCell(user, href), statusCell(user), setupCell(user));
  }

  const pager = cursorPager({
    id: "members-pager",
    noun: "Members",
    total: Number(document.body.dataset.memberCount || 0),
    async fetchPage(cursor) {
      const query = cursor ? "?" + new URLSearchParams({ cursor }) : "";
      const page = await api("GET", orgApiPath("/groups/" + encodeURIComponent(groupId) + "/members" + query));
      notify("members-table-error");
      return { items: page.members, nextCursor: page.nextCursor };
    },
    render: (members) => fillTable(tbody, members.map(row), "This group has no members.", 3),
    fail: (err) => notify("members-table-error", "Could not load the members: " + messageOf(err)),
  });
  pager.load();
})();

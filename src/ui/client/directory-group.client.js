// Directory › Groups › one group: pages of /api/v1/orgs/{id}/groups/{groupId}/members (any size).
(() => {
  const groupId = document.body.dataset.groupId || "";

  /** @param {any} user */
  function row(user) {
    // The user's own row in Directory › Users shows their groups and, when pending, the setup link.
    const href = directoryUrl("/users?" + new URLSearchParams({ q: user.userName }));
    return h("tr", { "data-user-id": user.id }, userCell(user, href), statusCell(user), setupCell(user));
  }

  const pager = directoryTable({
    name: "members",
    noun: "Members",
    total: Number(document.body.dataset.memberCount || 0),
    path: (cursor) => "/groups/" + encodeURIComponent(groupId) + "/members" + (cursor ? "?" + new URLSearchParams({ cursor }) : ""),
    row,
    empty: () => "This group has no members.",
  });
  pager.load();
})();

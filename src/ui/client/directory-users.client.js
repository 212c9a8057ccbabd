// Directory › Users: pages of /api/v1/orgs/{id}/users (search, state filter), each user's groups and
// setup state, and Copy setup link for people who have not finished setup.
(() => {
  const form = /** @type {HTMLFormElement} */ (byId("user-search"));
  const tbody = byId("users-table").tBodies[0]; // for the Copy setup link buttons
  const result = byId("setup-link-result");
  const linkField = /** @type {HTMLInputElement} */ (byId("setup-link-url"));
  /** The button that issued the link shown, to return to when the panel closes. */
  /** @type {HTMLButtonElement | null} */
  let issuedFrom = null;

  /** @param {any} user */
  function groupsCell(user) {
    if (!user.groupCount) return h("td", { "data-label": "Groups" }, h("span", { class: "muted" }, "None"));
    const links = user.groups.map((g) => h("li", {}, h("a", { href: directoryUrl("/groups/" + encodeURIComponent(g.id)) }, g.displayName)));
    const more = user.groupCount - user.groups.length;
    if (more > 0) links.push(h("li", { class: "muted" }, "and " + formatCount(more) + " more"));
    return h("td", { "data-label": "Groups" }, h("ul", { class: "group-list" }, ...links));
  }

  /** @param {any} user */
  function actionCell(user) {
    if (!user.active || user.setupState !== "pending") return h("td", { "data-label": "Actions" });
    const button = h(
      "button",
      { type: "button", class: "small", "data-setup-link": user.id, "data-user-name": user.userName },
      "Copy setup link",
      h("span", { class: "visually-hidden" }, " for " + user.userName),
    );
    return h("td", { "data-label": "Actions" }, button);
  }

  /** @param {any} user */
  function row(user) {
    return h(
      "tr",
      { "data-user-id": user.id },
      userCell(user),
      statusCell(user),
      setupCell(user),
      groupsCell(user),
      h("td", { "data-label": "Created" }, timeElement(user.createdAt)),
      actionCell(user),
    );
  }

  const pager = directoryTable({
    name: "users",
    noun: "Users",
    path: (cursor) => "/users?" + searchQuery(form, cursor),
    row,
    empty: () => (searchQuery(form, null).toString() ? "No user matches." : "No users provisioned yet."),
  });

  /** @param {HTMLButtonElement} button */
  async function issueSetupLink(button) {
    const userId = button.dataset.setupLink || "";
    const userName = button.dataset.userName || "";
    notify("setup-link-error");
    button.disabled = true;
    try {
      const issued = await api("POST", orgApiPath("/users/" + encodeURIComponent(userId) + "/setup-link"));
      const copied = await copyText(issued.url);
      linkField.value = issued.url;
      byId("setup-link-heading").textContent = "New setup link for " + userName;
      byId("setup-link-message").textContent =
        (copied ? "Copied to the clipboard. " : "Could not copy it automatically: select the link below and copy it. ") +
        "Any earlier setup link for " + userName + " has stopped working. " +
        "Send this one to them; it works once, until " + formatTime(issued.expiresAt) + ".";
      result.hidden = false;
      issuedFrom = button;
      result.focus();
      announce(copied ? "New setup link for " + userName + " copied. The previous link stopped working." : "New setup link for " + userName + " issued.");
    } catch (err) {
      notify("setup-link-error", "Could not issue a setup link for " + userName + ": " + messageOf(err));
      // Completed or deactivated meanwhile: show the user as they are now.
      if (err instanceof ApiFailure && (err.status === 403 || err.status === 409)) pager.load();
    } finally {
      button.disabled = false;
    }
  }

  tbody.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button[data-setup-link]") : null;
    if (button instanceof HTMLButtonElement) issueSetupLink(button);
  });

  byId("setup-link-done").addEventListener("click", () => {
    result.hidden = true;
    linkField.value = "";
    if (issuedFrom && issuedFrom.isConnected) issuedFrom.focus();
    else byId("user-q").focus();
  });

  wireSearch(form, pager);
  pager.load();
})();

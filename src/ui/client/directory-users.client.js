// Directory › Users: pages of /api/v1/orgs/{id}/users (search, state filter), each user's groups and
// setup state; Issue new setup link for people who have not finished setup (asking first when an
// earlier link still works), Reset setup for people who have, and why a deactivated person has neither.
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
    const forUser = h("span", { class: "visually-hidden" }, " for " + user.userName);
    if (user.setupState === "complete") {
      const reset = h("button", { type: "button", class: "small", "data-reset-setup": user.id, "data-user-name": user.userName }, "Reset setup", forUser);
      return h("td", { "data-label": "Actions" }, reset);
    }
    if (!user.active) {
      return h("td", { "data-label": "Actions" }, h("span", { class: "muted" }, "No setup link: deactivated. Reactivate in the identity provider first."));
    }
    const button = h(
      "button",
      { type: "button", class: "small", "data-setup-link": user.id, "data-user-name": user.userName },
      "Issue new setup link",
      forUser,
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
      const path = orgApiPath("/users/" + encodeURIComponent(userId) + "/setup-link");
      /** @type {any} */
      let issued;
      try {
        // Issued at once only when no earlier link still works; otherwise ask before replacing it.
        issued = await api("POST", path + "?unlessLive=1");
      } catch (err) {
        // 409 live_link_exists says until when the earlier link works (409 setup_complete does not).
        if (!(err instanceof ApiFailure && err.status === 409 && /earlier setup link/.test(err.message))) throw err;
        const until = /until (\S+?);/.exec(err.message);
        if (!(await confirmReissue(userName, until ? until[1] : ""))) {
          button.focus();
          return;
        }
        issued = await api("POST", path);
      }
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

  /** @param {string} userName @param {string} until an ISO time, or "" when unknown */
  function confirmReissue(userName, until) {
    byId("reissue-user").textContent = userName;
    byId("reissue-until").textContent = until ? " until " + formatTime(until) : "";
    return confirmed(/** @type {HTMLDialogElement} */ (byId("reissue-dialog")));
  }

  /** @param {HTMLButtonElement} button */
  async function resetSetup(button) {
    const userId = button.dataset.resetSetup || "";
    const userName = button.dataset.userName || "";
    notify("setup-link-error");
    byId("reset-user").textContent = userName;
    if (!(await confirmed(/** @type {HTMLDialogElement} */ (byId("reset-dialog"))))) {
      button.focus();
      return;
    }
    button.disabled = true;
    try {
      await api("POST", orgApiPath("/users/" + encodeURIComponent(userId) + "/setup/reset"));
      announce("Setup of " + userName + " was reset. They are pending again: issue them a new setup link.");
      await pager.load();
      const again = tbody.querySelector('button[data-setup-link="' + CSS.escape(userId) + '"]');
      if (again instanceof HTMLButtonElement) again.focus();
    } catch (err) {
      notify("setup-link-error", "Could not reset the setup of " + userName + ": " + messageOf(err));
      if (err instanceof ApiFailure && err.status === 409) pager.load();
    } finally {
      button.disabled = false;
    }
  }

  tbody.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const issue = target ? target.closest("button[data-setup-link]") : null;
    if (issue instanceof HTMLButtonElement) issueSetupLink(issue);
    const reset = target ? target.closest("button[data-reset-setup]") : null;
    if (reset instanceof HTMLButtonElement) resetSetup(reset);
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

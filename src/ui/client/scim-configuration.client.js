// Organization › Authentication › SCIM Configuration: the switch, token creation and rotation (the new
// token shown once), expiry flags and revocation, and each token's connection status.
(() => {
  const orgId = document.body.dataset.orgId || "";
  const base = "/orgs/" + encodeURIComponent(orgId) + "/scim";

  // --- Enable SCIM provisioning -------------------------------------------------------------
  const toggle = /** @type {HTMLInputElement} */ (byId("scim-enabled"));
  const state = byId("scim-state");

  /** @param {boolean} enabled */
  function showState(enabled) {
    toggle.checked = enabled;
    state.textContent = enabled ? "On" : "Off";
    state.className = enabled ? "badge ok" : "badge muted";
    const hint = byId("scim-enabled-hint");
    hint.textContent = (enabled ? hint.dataset.on : hint.dataset.off) || "";
  }

  toggle.addEventListener("change", async () => {
    const wanted = toggle.checked;
    notify("scim-enabled-error");
    toggle.disabled = true;
    try {
      const result = await api("PATCH", base, { enabled: wanted });
      showState(result.enabled);
      announce("SCIM provisioning is " + (result.enabled ? "on" : "off"));
    } catch (err) {
      showState(!wanted);
      notify("scim-enabled-error", "Could not change SCIM provisioning: " + messageOf(err));
    } finally {
      toggle.disabled = false;
    }
  });

  // --- Connect your identity provider: the picker shows the chosen provider's fields -------
  const picker = /** @type {HTMLSelectElement} */ (byId("provider-picker"));
  picker.addEventListener("change", () => {
    /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-provider]")).forEach((guide) => {
      guide.hidden = guide.dataset.provider !== picker.value;
    });
  });

  // --- Tokens ---------------------------------------------------------------------------------
  const tbody = byId("token-table").tBodies[0];
  const dialog = /** @type {HTMLDialogElement} */ (byId("revoke-dialog"));
  /** @type {{id: string, description: string} | null} */
  let revoking = null;

  /** @param {any} token */
  function status(token) {
    if (token.revokedAt) return h("span", { class: "badge err" }, "Revoked ", timeElement(token.revokedAt));
    if (token.expiresAt && Date.parse(token.expiresAt) <= Date.now()) return h("span", { class: "badge err" }, "Expired");
    if (token.replacedBy) {
      return h("span", {}, h("span", { class: "badge warn" }, "Rotated"), h("div", { class: "hint" }, "Works until ", timeElement(token.expiresAt)));
    }
    if (token.expiringSoon) return h("span", { class: "badge warn" }, "Expires soon");
    return h("span", { class: "badge ok" }, "Active");
  }

  /** @param {any} token */
  function isLive(token) {
    return !token.revokedAt && !(token.expiresAt && Date.parse(token.expiresAt) <= Date.now());
  }

  /** @param {any} token */
  function row(token) {
    const hidden = () => h("span", { class: "visually-hidden" }, " " + token.description);
    const rotate =
      isLive(token) && !token.replacedBy
        ? h("button", { type: "button", class: "small", "data-rotate": token.id }, "Rotate", hidden())
        : null;
    const revoke = token.revokedAt
      ? null
      : h("button", { type: "button", class: "small", "data-revoke": token.id }, "Revoke", hidden());
    return h(
      "tr",
      { "data-token-id": token.id },
      h("td", { "data-label": "Description" }, token.description),
      h("td", { "data-label": "Prefix" }, h("code", {}, token.prefix + "…")),
      h("td", { "data-label": "Created" }, timeElement(token.createdAt)),
      h("td", { "data-label": "Expires" }, timeElement(token.expiresAt, "Never")),
      h("td", { "data-label": "Last used" }, timeElement(token.lastUsedAt, "Never")),
      h("td", { "data-label": "Status" }, status(token)),
      h("td", { "data-label": "Actions" }, rotate, rotate && revoke ? " " : null, revoke),
    );
  }

  // --- Connection status: one card per token (GET …/tokens carries each token's `status`) -------
  const statusBox = byId("token-status");

  /** @param {number} n @param {string} noun */
  function plural(n, noun) {
    return formatCount(n) + " " + noun + (n === 1 ? "" : "s");
  }

  /** The latest request: when, and who by (the provider recognised, else the User-Agent). @param {any} last */
  function lastRequest(last) {
    if (!last) return h("span", { class: "muted" }, "None yet: paste the SCIM URL and this token into your identity provider, then test the connection.");
    const who = last.provider
      ? h("span", {}, " from ", h("strong", {}, last.provider))
      : h("span", {}, " — provider not recognised from its User-Agent");
    return h("span", {}, timeElement(last.at), who, last.userAgent ? h("div", { class: "hint mono" }, last.userAgent) : null);
  }

  /** @param {any} error */
  function lastError(error) {
    if (!error) return h("span", { class: "muted" }, "None");
    return h(
      "span",
      {},
      h("span", { class: "badge err" }, error.status),
      error.scimType ? h("span", {}, " ", h("code", {}, error.scimType)) : null,
      " ",
      timeElement(error.at),
      error.detail ? h("div", { class: "detail-text" }, error.detail) : null,
    );
  }

  /** @param {any} token */
  function statusCard(token) {
    const s = token.status;
    const headingId = "status-" + token.id;
    const counts = s.last24h;
    const log = /** @type {string} */ (statusBox.dataset.logUrl) + "?token=" + encodeURIComponent(token.id);
    return h(
      "section",
      { class: "status-card", "aria-labelledby": headingId, "data-status-token": token.id },
      h("h3", { id: headingId }, token.description, " ", h("code", { class: "muted" }, token.prefix + "…")),
      h(
        "dl",
        {},
        h("dt", {}, "Last request"),
        h("dd", { "data-field": "last-request" }, lastRequest(s.lastRequest)),
        h("dt", {}, "Last 24 hours"),
        h(
          "dd",
          { "data-field": "last-24h" },
          plural(counts.requests, "request") + ", ",
          h("span", { class: counts.errors ? "status-errors" : "" }, plural(counts.errors, "error")),
        ),
        h("dt", {}, "Last error"),
        h("dd", { "data-field": "last-error" }, lastError(s.lastError)),
      ),
      h("a", { href: log }, "Its requests in the provisioning log", h("span", { class: "visually-hidden" }, " (" + token.description + ")")),
    );
  }

  /** Live tokens, and any other one something still used in the last 24 hours. @param {any[]} list */
  function showStatus(list) {
    const shown = list.filter((t) => (isLive(t) && !t.replacedBy) || t.status.last24h.requests > 0);
    statusBox.replaceChildren(
      ...(shown.length ? shown.map(statusCard) : [h("p", { class: "muted" }, "No live token yet. Create one below.")]),
    );
  }

  /** @type {any[]} */
  let tokens = [];

  async function loadTokens() {
    try {
      tokens = (await api("GET", base + "/tokens")).tokens;
      notify("token-table-error");
      notify("token-status-error");
      fillTable(tbody, tokens.map(row), "No tokens yet. Create one for each identity provider.", 7);
      showStatus(tokens);
    } catch (err) {
      notify("token-table-error", "Could not load the tokens: " + messageOf(err));
      notify("token-status-error", "Could not load the connection status: " + messageOf(err));
    }
  }

  byId("status-refresh").addEventListener("click", async () => {
    await loadTokens();
    announce("Connection status refreshed");
  });

  const form = byId("create-token-form");
  const description = /** @type {HTMLInputElement} */ (byId("token-description"));
  const lifetime = /** @type {HTMLSelectElement} */ (byId("token-lifetime"));
  const panel = byId("new-token");

  /** Shows a token's plaintext, once. @param {any} minted @param {string} message */
  function showNewToken(minted, message) {
    byId("new-token-scim-url").value = minted.scimUrl;
    byId("new-token-value").value = minted.token;
    panel.hidden = false;
    byId("new-token-heading").focus();
    announce(message);
  }

  wireForm(form, "create-token-error", description, "Enter a description, e.g. the identity provider's name.", async () => {
    const created = await api("POST", base + "/tokens", { description: description.value, ttlDays: Number(lifetime.value) });
    form.reset();
    showNewToken(created, "Token created. Copy it now: you will not see it again.");
    await loadTokens();
  });

  byId("new-token-done").addEventListener("click", () => {
    byId("new-token-value").value = "";
    panel.hidden = true;
    description.focus();
  });

  const rotateDialog = /** @type {HTMLDialogElement} */ (byId("rotate-dialog"));
  const grace = /** @type {HTMLSelectElement} */ (byId("rotate-grace"));
  /** @type {{id: string, description: string} | null} */
  let rotating = null;

  tbody.addEventListener("click", (event) => {
    const rotateButton = event.target instanceof Element ? event.target.closest("[data-rotate]") : null;
    if (rotateButton instanceof HTMLElement) {
      rotating = tokens.find((t) => t.id === rotateButton.dataset.rotate) || null;
      if (!rotating) return;
      byId("rotate-token-name").textContent = rotating.description;
      rotateDialog.returnValue = "";
      rotateDialog.showModal();
      return;
    }
    const button = event.target instanceof Element ? event.target.closest("[data-revoke]") : null;
    if (!(button instanceof HTMLElement)) return;
    revoking = tokens.find((t) => t.id === button.dataset.revoke) || null;
    if (!revoking) return;
    byId("revoke-token-name").textContent = revoking.description;
    dialog.returnValue = "";
    dialog.showModal();
  });

  rotateDialog.addEventListener("close", async () => {
    const token = rotating;
    rotating = null;
    if (rotateDialog.returnValue !== "confirm" || !token) return;
    try {
      const rotated = await api("POST", base + "/tokens/" + encodeURIComponent(token.id) + "/rotate", { graceHours: Number(grace.value) });
      showNewToken(rotated, "Token " + token.description + " rotated. Copy the new token now: you will not see it again.");
      await loadTokens();
    } catch (err) {
      notify("token-table-error", "Could not rotate the token: " + messageOf(err));
    }
  });

  dialog.addEventListener("close", async () => {
    const token = revoking;
    revoking = null;
    if (dialog.returnValue !== "confirm" || !token) return;
    try {
      await api("DELETE", base + "/tokens/" + encodeURIComponent(token.id));
      announce("Token " + token.description + " revoked");
      await loadTokens();
      description.focus();
    } catch (err) {
      notify("token-table-error", "Could not revoke the token: " + messageOf(err));
    }
  });

  loadTokens();
})();

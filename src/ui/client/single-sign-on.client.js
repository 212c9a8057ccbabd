// Organization › Authentication › Single sign-on: shows the configuration, saves SAML or OIDC, turns it
// off, and lists refused sign-ins. The client secret is sent once and never read back.
(() => {
  const orgId = document.body.dataset.orgId || "";
  const base = "/orgs/" + encodeURIComponent(orgId) + "/sso";
  const status = byId("sso-status");
  const remove = /** @type {HTMLButtonElement} */ (byId("sso-remove"));
  const samlForm = /** @type {HTMLFormElement} */ (byId("saml-form"));
  const oidcForm = /** @type {HTMLFormElement} */ (byId("oidc-form"));
  const metadataUrl = /** @type {HTMLInputElement} */ (byId("saml-metadata-url"));
  const metadataXml = /** @type {HTMLTextAreaElement} */ (byId("saml-metadata-xml"));
  const issuer = /** @type {HTMLInputElement} */ (byId("oidc-issuer"));
  const clientId = /** @type {HTMLInputElement} */ (byId("oidc-client-id"));
  const clientSecret = /** @type {HTMLInputElement} */ (byId("oidc-client-secret"));

  /** @param {string} type */
  function choose(type) {
    samlForm.hidden = type !== "saml";
    oidcForm.hidden = type !== "oidc";
    const radio = /** @type {HTMLInputElement | null} */ (document.querySelector('input[name="sso-type"][value="' + type + '"]'));
    if (radio) radio.checked = true;
  }

  document.querySelectorAll('input[name="sso-type"]').forEach((radio) => {
    radio.addEventListener("change", () => choose(/** @type {HTMLInputElement} */ (radio).value));
  });

  /** @param {any} config */
  function showConfig(config) {
    if (!config) {
      status.textContent = "Off: single sign-on is not configured. People sign in with setup links only.";
      remove.hidden = true;
      return;
    }
    remove.hidden = false;
    if (config.type === "saml") {
      status.textContent = "On, with SAML 2.0: identity provider " + config.idp.entityId + " (" + config.idp.certificates + " signing certificate" + (config.idp.certificates === 1 ? "" : "s") + ").";
      metadataUrl.value = config.idp.metadataUrl || "";
    } else {
      status.textContent = "On, with OpenID Connect: issuer " + config.issuer + ", client " + config.clientId + ". The client secret is stored encrypted.";
      issuer.value = config.issuer;
      clientId.value = config.clientId;
    }
    choose(config.type);
  }

  async function load() {
    try {
      showConfig(await api("GET", base));
    } catch (err) {
      if (err instanceof ApiFailure && err.status === 404) showConfig(null);
      else status.textContent = "Could not load the configuration: " + messageOf(err);
    }
  }

  /** @param {any} row */
  function attemptRow(row) {
    return h(
      "tr",
      {},
      h("td", { "data-label": "Time" }, timeElement(row.at)),
      h("td", { "data-label": "Protocol" }, row.protocol === "saml" ? "SAML" : "OIDC"),
      h("td", { "data-label": "Identity" }, row.subject || "—"),
      h("td", { "data-label": "Reason" }, h("code", {}, row.reason)),
      h("td", { "data-label": "Detail" }, row.detail || ""),
    );
  }

  async function loadAttempts() {
    try {
      const { attempts } = await api("GET", base + "/attempts?limit=50");
      notify("sso-attempts-error");
      fillTable(byId("sso-attempts").tBodies[0], attempts.map(attemptRow), "No refused sign-ins.", 5);
    } catch (err) {
      notify("sso-attempts-error", "Could not load refused sign-ins: " + messageOf(err));
    }
  }

  /** @param {any} config */
  function saved(config) {
    showConfig(config);
    notify("sso-saved", "Saved. People can sign in at " + config.loginUrl);
    announce("Single sign-on saved");
  }

  samlForm.addEventListener("submit", async (event) => {
    event.preventDefault();
    notify("saml-error");
    notify("sso-saved");
    const url = metadataUrl.value.trim();
    const xml = metadataXml.value.trim();
    if (!url && !xml) {
      notify("saml-error", "Give the IdP metadata URL or paste its XML.");
      metadataUrl.focus();
      return;
    }
    const button = /** @type {HTMLButtonElement} */ (samlForm.querySelector("button[type=submit]"));
    button.disabled = true;
    try {
      saved(await api("PUT", base, xml ? { type: "saml", metadataXml: xml } : { type: "saml", metadataUrl: url }));
      metadataXml.value = "";
    } catch (err) {
      notify("saml-error", messageOf(err));
    } finally {
      button.disabled = false;
    }
  });

  wireForm(oidcForm, "oidc-error", clientSecret, "Enter the client secret (it is never shown again, so it is needed on every save).", async () => {
    notify("sso-saved");
    const config = await api("PUT", base, { type: "oidc", issuer: issuer.value.trim(), clientId: clientId.value.trim(), clientSecret: clientSecret.value });
    clientSecret.value = "";
    saved(config);
  });

  remove.addEventListener("click", async () => {
    if (!confirm("Turn off single sign-on? People will no longer be able to sign in through their identity provider.")) return;
    notify("sso-remove-error");
    try {
      await api("DELETE", base);
      notify("sso-saved");
      showConfig(null);
      announce("Single sign-on turned off");
    } catch (err) {
      notify("sso-remove-error", messageOf(err));
    }
  });

  load();
  loadAttempts();
})();

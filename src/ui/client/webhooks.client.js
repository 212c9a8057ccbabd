// Organization › Webhooks: the endpoints from /api/v1/orgs/{id}/webhooks with their last delivery;
// adding one and rotating its secret show the secret once; Send test event shows what the endpoint
// answered; Delete and Rotate ask first.
(() => {
  const orgId = document.body.dataset.orgId || "";
  const base = "/orgs/" + encodeURIComponent(orgId) + "/webhooks";
  const tbody = byId("webhook-table").tBodies[0];
  const form = /** @type {HTMLFormElement} */ (byId("add-webhook-form"));
  const url = /** @type {HTMLInputElement} */ (byId("webhook-url"));
  const panel = byId("new-secret");
  const secretField = /** @type {HTMLInputElement} */ (byId("new-secret-value"));
  const testResult = byId("webhook-test-result");
  /** @type {any[]} */
  let webhooks = [];
  /** Where the keyboard goes back to when the secret panel closes. */
  /** @type {HTMLElement | null} */
  let secretFrom = null;

  /** @type {Record<string, [string, string]>} */
  const LAST = {
    delivered: ["Delivered", "badge ok"],
    retrying: ["Retrying", "badge warn"],
    failed: ["Failed", "badge err"],
  };

  /** @param {any} last */
  function lastDelivery(last) {
    if (!last) return h("span", { class: "muted" }, "None yet");
    const [label, className] = LAST[last.status] || [last.status, "badge muted"];
    return h(
      "span",
      { class: "last-delivery" },
      h("span", { class: className }, label),
      " ",
      h("span", {}, "event #" + last.sequence + (last.httpStatus ? ", HTTP " + last.httpStatus : "")),
      h("div", { class: "hint" }, timeElement(last.at)),
    );
  }

  /** @param {any} webhook */
  function types(webhook) {
    if (!webhook.eventTypes || !webhook.eventTypes.length) return h("span", { class: "muted" }, "All types");
    return h("ul", { class: "type-list" }, ...webhook.eventTypes.map((t) => h("li", {}, h("code", {}, t))));
  }

  /** @param {any} webhook */
  function row(webhook) {
    const hidden = () => h("span", { class: "visually-hidden" }, " for " + webhook.url);
    return h(
      "tr",
      { "data-webhook-id": webhook.id },
      h("td", { "data-label": "Endpoint" }, h("code", { class: "webhook-url" }, webhook.url)),
      h("td", { "data-label": "Event types" }, types(webhook)),
      h("td", { "data-label": "Format" }, webhook.format === "set" ? "Security Event Token" : "JSON"),
      h("td", { "data-label": "Last delivery" }, lastDelivery(webhook.lastDelivery)),
      h("td", { "data-label": "Created" }, timeElement(webhook.createdAt)),
      h(
        "td",
        { "data-label": "Actions" },
        h(
          "div",
          { class: "row-actions" },
          h("button", { type: "button", class: "small", "data-test": webhook.id }, "Send test event", hidden()),
          h("button", { type: "button", class: "small", "data-rotate": webhook.id }, "Rotate secret", hidden()),
          h("button", { type: "button", class: "small", "data-delete": webhook.id }, "Delete", hidden()),
        ),
      ),
    );
  }

  async function load() {
    try {
      webhooks = (await api("GET", base)).webhooks;
      notify("webhook-table-error");
      fillTable(tbody, webhooks.map(row), "No endpoints yet. Add one above to receive this organization's events.", 6);
    } catch (err) {
      notify("webhook-table-error", "Could not load the endpoints: " + messageOf(err));
    }
  }

  /** Shows a secret, once. @param {string} heading @param {string} secret @param {HTMLElement} from */
  function showSecret(heading, secret, from) {
    byId("new-secret-heading").textContent = heading;
    secretField.value = secret;
    panel.hidden = false;
    secretFrom = from;
    byId("new-secret-heading").focus();
    announce(heading + ". Copy it now: you won't see it again.");
  }

  byId("new-secret-done").addEventListener("click", () => {
    secretField.value = "";
    panel.hidden = true;
    (secretFrom && secretFrom.isConnected ? secretFrom : url).focus();
  });

  wireForm(form, "add-webhook-error", url, "Enter the endpoint's URL, e.g. https://app.example.com/hooks/directory.", async () => {
    const eventTypes = [...form.querySelectorAll('input[name="eventTypes"]:checked')].map((box) => /** @type {HTMLInputElement} */ (box).value);
    const format = /** @type {HTMLInputElement} */ (form.querySelector('input[name="format"]:checked')).value;
    const created = await api("POST", base, { url: url.value.trim(), ...(eventTypes.length ? { eventTypes } : {}), format });
    form.reset();
    await load();
    showSecret("Signing secret for " + created.url, created.secret, url);
  });

  /** @param {string} id */
  const find = (id) => webhooks.find((w) => w.id === id) || null;

  /** @param {"success" | "error" | ""} kind @param {string} [message] */
  function showTestResult(kind, message) {
    testResult.className = "notice " + kind;
    testResult.textContent = message || "";
    testResult.hidden = !message;
  }

  /** @param {any} webhook @param {HTMLButtonElement} button */
  async function sendTest(webhook, button) {
    button.disabled = true;
    showTestResult("", "");
    try {
      const result = await api("POST", base + "/" + encodeURIComponent(webhook.id) + "/test");
      // `status` is the endpoint's HTTP status; none when it could not be reached.
      const status = typeof result.status === "number" ? "HTTP " + result.status : result.status ? String(result.status) : "no answer";
      // The API's `error` for a refused event is the status again ("HTTP 500"): said once.
      const error = result.error && result.error !== status ? " — " + result.error : "";
      if (result.delivered) showTestResult("success", "Test event delivered to " + webhook.url + ": it answered " + status + ".");
      else showTestResult("error", "Test event to " + webhook.url + " failed: " + status + error + ".");
      await load();
    } catch (err) {
      showTestResult("error", "Could not send a test event to " + webhook.url + ": " + messageOf(err));
    } finally {
      button.disabled = false;
      const again = tbody.querySelector('button[data-test="' + CSS.escape(webhook.id) + '"]');
      if (again instanceof HTMLButtonElement && document.activeElement === document.body) again.focus();
    }
  }

  /** @param {any} webhook @param {HTMLButtonElement} button */
  async function rotate(webhook, button) {
    byId("rotate-url").textContent = webhook.url;
    if (!(await confirmed(/** @type {HTMLDialogElement} */ (byId("rotate-dialog"))))) return button.focus();
    try {
      const rotated = await api("POST", base + "/" + encodeURIComponent(webhook.id) + "/rotate-secret");
      notify("webhook-table-error");
      showSecret("New signing secret for " + webhook.url, rotated.secret, button);
    } catch (err) {
      notify("webhook-table-error", "Could not rotate the secret of " + webhook.url + ": " + messageOf(err));
    }
  }

  /** @param {any} webhook @param {HTMLButtonElement} button */
  async function remove(webhook, button) {
    byId("delete-url").textContent = webhook.url;
    if (!(await confirmed(/** @type {HTMLDialogElement} */ (byId("delete-dialog"))))) return button.focus();
    try {
      await api("DELETE", base + "/" + encodeURIComponent(webhook.id));
      notify("webhook-table-error");
      announce("Endpoint " + webhook.url + " deleted");
      await load();
      url.focus();
    } catch (err) {
      notify("webhook-table-error", "Could not delete " + webhook.url + ": " + messageOf(err));
    }
  }

  tbody.addEventListener("click", (event) => {
    const button = event.target instanceof Element ? event.target.closest("button") : null;
    if (!(button instanceof HTMLButtonElement)) return;
    const webhook = find(button.dataset.test || button.dataset.rotate || button.dataset.delete || "");
    if (!webhook) return;
    if (button.dataset.test) sendTest(webhook, button);
    else if (button.dataset.rotate) rotate(webhook, button);
    else if (button.dataset.delete) remove(webhook, button);
  });

  load();
})();

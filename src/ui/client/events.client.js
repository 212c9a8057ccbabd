// Organization › Events: the server renders the page of events (type filter and page in the address
// bar); this script applies the filter as soon as it changes, and when an event is opened loads its
// deliveries per webhook endpoint from /api/v1/orgs/{id}/events/{eventId}/deliveries, each with
// Redeliver (POST …/redeliver { webhookId }).
(() => {
  const orgId = document.body.dataset.orgId || "";
  const form = /** @type {HTMLFormElement} */ (byId("event-filter"));
  const list = document.getElementById("event-list");

  // Choosing a type shows it at once, as the provisioning log's filter does (the form's GET keeps it in the address bar).
  byId("event-type").addEventListener("change", () => form.requestSubmit());

  /** @param {string} eventId @param {string} rest */
  function eventPath(eventId, rest) {
    return "/orgs/" + encodeURIComponent(orgId) + "/events/" + encodeURIComponent(eventId) + rest;
  }

  /** @type {Record<string, [string, string]>} */
  const STATES = {
    pending: ["Pending", "badge muted"],
    retrying: ["Retrying", "badge warn"],
    delivered: ["Delivered", "badge ok"],
    failed: ["Failed", "badge err"],
  };

  /** @param {string} status */
  function stateBadge(status) {
    const [label, className] = STATES[status] || [status, "badge muted"];
    return h("span", { class: className }, label);
  }

  /** @param {string} term @param {Node|string|null} value */
  function pair(term, value) {
    return [h("dt", {}, term), h("dd", {}, value === null || value === "" ? h("span", { class: "muted" }, "—") : value)];
  }

  /** The last answer: an HTTP status as such, anything else as given. @param {unknown} status */
  function lastStatus(status) {
    if (status === null || status === undefined) return null;
    return typeof status === "number" ? "HTTP " + status : String(status);
  }

  /** @param {any} d @param {number} sequence */
  function delivery(d, sequence) {
    return h(
      "li",
      { class: "delivery", "data-webhook-id": d.webhookId },
      h("div", { class: "delivery-head" }, h("code", { class: "delivery-url" }, d.url), stateBadge(d.status)),
      h(
        "dl",
        { class: "delivery-facts" },
        ...pair("Attempts", String(d.attempts)),
        ...pair("Last status", lastStatus(d.lastStatus)),
        ...pair("Last error", d.lastError || null),
        ...pair("Last attempt", d.lastAttemptAt ? timeElement(d.lastAttemptAt) : null),
        ...pair("Next retry", d.nextAttemptAt ? timeElement(d.nextAttemptAt) : null),
      ),
      h(
        "button",
        { type: "button", class: "small", "data-redeliver": d.webhookId, "data-url": d.url },
        "Redeliver",
        h("span", { class: "visually-hidden" }, " event #" + sequence + " to " + d.url),
      ),
    );
  }

  /** @param {HTMLDetailsElement} details */
  function parts(details) {
    const box = /** @type {HTMLElement} */ (details.querySelector(".deliveries"));
    const error = /** @type {HTMLElement} */ (details.querySelector(".event-body > .notice.error"));
    const sequence = Number(details.dataset.sequence);
    return { box, error, sequence, eventId: details.dataset.eventId || "" };
  }

  /** @param {HTMLElement} error @param {string} [message] */
  function showError(error, message) {
    error.textContent = message || "";
    error.hidden = !message;
  }

  /** @param {HTMLDetailsElement} details */
  async function loadDeliveries(details) {
    const { box, error, sequence, eventId } = parts(details);
    details.dataset.loaded = "1";
    try {
      const { deliveries } = await api("GET", eventPath(eventId, "/deliveries"));
      showError(error);
      if (!deliveries.length) {
        box.replaceChildren(
          h(
            "p",
            { class: "muted" },
            "No webhook endpoint was sent this event. ",
            h("a", { href: box.dataset.webhooksHref || "#" }, "Manage webhooks"),
          ),
        );
        return;
      }
      box.replaceChildren(h("ul", { class: "delivery-list" }, ...deliveries.map((d) => delivery(d, sequence))));
    } catch (err) {
      box.replaceChildren();
      showError(error, "Could not load the deliveries: " + messageOf(err));
    }
  }

  /** @param {HTMLDetailsElement} details @param {HTMLButtonElement} button */
  async function redeliver(details, button) {
    const { box, error, sequence, eventId } = parts(details);
    const url = button.dataset.url || "";
    button.disabled = true;
    try {
      const result = await api("POST", eventPath(eventId, "/redeliver"), { webhookId: button.dataset.redeliver });
      showError(error);
      announce(result && result.queued ? "Event #" + sequence + " queued for redelivery to " + url : "Nothing was queued for " + url);
      await loadDeliveries(details);
      const again = box.querySelector('button[data-redeliver="' + CSS.escape(button.dataset.redeliver || "") + '"]');
      if (again instanceof HTMLButtonElement) again.focus();
    } catch (err) {
      showError(error, "Could not redeliver to " + url + ": " + messageOf(err));
      button.disabled = false;
    }
  }

  if (!list) return;
  // `toggle` does not bubble: listen in the capture phase. An event's deliveries load when it is first opened.
  list.addEventListener(
    "toggle",
    (event) => {
      const details = event.target;
      if (details instanceof HTMLDetailsElement && details.open && !details.dataset.loaded) loadDeliveries(details);
    },
    true,
  );
  list.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const details = target ? target.closest("details.event") : null;
    if (!(details instanceof HTMLDetailsElement)) return;
    const again = target.closest("button[data-redeliver]");
    if (again instanceof HTMLButtonElement) redeliver(details, again);
    if (target.closest("button[data-refresh-deliveries]")) loadDeliveries(details);
  });
})();

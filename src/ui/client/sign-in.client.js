// Sign-in: exchanges the operator token for a console session cookie, then leaves the page (the
// token stays in the password field only until then).
(() => {
  const form = byId("sign-in-form");
  const input = /** @type {HTMLInputElement} */ (byId("operator-token"));
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    notify("sign-in-error");
    const token = input.value.trim();
    if (!token) {
      notify("sign-in-error", "Enter the operator token.");
      input.focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    try {
      const res = await fetch("/api/v1/console/session", {
        method: "POST",
        headers: { Authorization: "Bearer " + token, Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
      if (res.status === 201) {
        input.value = "";
        location.assign(document.body.dataset.next || "/admin");
        return;
      }
      const body = await res.json().catch(() => null);
      notify("sign-in-error", (body && body.error && body.error.message) || "Sign-in failed (" + res.status + ")");
      input.focus();
    } catch (err) {
      notify("sign-in-error", "Could not reach the service: " + messageOf(err));
    } finally {
      button.disabled = false;
    }
  });
})();

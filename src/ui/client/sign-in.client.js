// Sign-in: exchanges the operator token for a console session cookie, then leaves the page (the
// token stays in the password field only until then).
(() => {
  const input = /** @type {HTMLInputElement} */ (byId("operator-token"));
  wireForm(byId("sign-in-form"), "sign-in-error", input, "Enter the operator token.", async () => {
    let res;
    try {
      res = await fetch("/api/v1/console/session", {
        method: "POST",
        headers: { Authorization: "Bearer " + input.value.trim(), Accept: "application/json" },
        credentials: "same-origin",
        cache: "no-store",
      });
    } catch (err) {
      throw new Error("Could not reach the service: " + messageOf(err));
    }
    if (res.status === 201) {
      input.value = "";
      location.assign(document.body.dataset.next || "/admin");
      return;
    }
    const body = await res.json().catch(() => null);
    throw new Error((body && body.error && body.error.message) || "Sign-in failed (" + res.status + ")");
  });
})();

// The setup page's script, served from /setup/setup.js (the CSP forbids inline script).
//
// In the browser, with WebCrypto only: read the setup token from the URL fragment; generate an ECDH
// P-256 key pair; derive an AES-GCM-256 wrapping key from the passphrase with PBKDF2-SHA-256
// (600,000 iterations, 16-byte random salt); encrypt the PKCS#8 private key under a random 12-byte
// IV; post only { publicKey, encryptedPrivateKey, iv, salt, kdf }. Unlocking fetches the bundle with
// the session cookie, decrypts it with the passphrase and checks that the private key belongs to the
// stored public key. The passphrase and the private key never leave the page.
//
// A person who signed in through their organization's single sign-on arrives without a token but with
// a session: a pending one creates the key in the session (PUT /api/v1/me/keys), a set-up one unlocks.
// Sign-out ends the session on the server.
//
// A classic script like the console's (./tsconfig.json type-checks it against the DOM); exercised by
// the browser test.
"use strict";
(function () {
  var MIN_PASSPHRASE_CHARS = 12;
  var KDF = { name: "PBKDF2", hash: "SHA-256", iterations: 600000 };
  var encoder = new TextEncoder();
  var token = null;
  var orgName = "";

  /** @returns {any} the page's elements are known by id: inputs, forms, sections */
  function $(id) { return document.getElementById(id); }

  function toBase64url(buffer) {
    var bytes = new Uint8Array(buffer);
    var binary = "";
    for (var i = 0; i < bytes.length; i++) binary += String.fromCharCode(bytes[i]);
    return btoa(binary).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }

  function fromBase64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
    var binary = atob(b64);
    var out = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }

  function show(viewId) {
    /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("[data-view]")).forEach(function (view) { view.hidden = view.id !== viewId; });
  }

  function say(id, text, kind) {
    var el = $(id);
    el.textContent = text;
    el.dataset.kind = kind || "info";
    el.setAttribute("role", kind === "error" ? "alert" : "status");
  }

  function busy(formId, on) {
    var form = $(formId);
    /** @type {NodeListOf<HTMLInputElement | HTMLButtonElement>} */ (form.querySelectorAll("input, button")).forEach(function (el) { el.disabled = on; });
    form.setAttribute("aria-busy", on ? "true" : "false");
  }

  async function errorMessage(response) {
    try {
      var body = await response.json();
      if (body && body.error && body.error.message) return body.error.message;
    } catch (e) { /* not JSON */ }
    return "The service answered HTTP " + response.status + ".";
  }

  async function wrappingKey(passphrase, salt, kdf) {
    if (!kdf || kdf.name !== "PBKDF2" || kdf.hash !== "SHA-256") throw new Error("Unsupported key derivation");
    var material = await crypto.subtle.importKey("raw", encoder.encode(passphrase.normalize("NFC")), "PBKDF2", false, ["deriveKey"]);
    return crypto.subtle.deriveKey(
      { name: "PBKDF2", hash: "SHA-256", salt: salt, iterations: kdf.iterations },
      material,
      { name: "AES-GCM", length: 256 },
      false,
      ["encrypt", "decrypt"]
    );
  }

  async function createBundle(passphrase) {
    var pair = await crypto.subtle.generateKey({ name: "ECDH", namedCurve: "P-256" }, true, ["deriveKey", "deriveBits"]);
    var spki = await crypto.subtle.exportKey("spki", pair.publicKey);
    var pkcs8 = await crypto.subtle.exportKey("pkcs8", pair.privateKey);
    var salt = crypto.getRandomValues(new Uint8Array(16));
    var iv = crypto.getRandomValues(new Uint8Array(12));
    var key = await wrappingKey(passphrase, salt, KDF);
    var ciphertext = await crypto.subtle.encrypt({ name: "AES-GCM", iv: iv }, key, pkcs8);
    return {
      publicKey: toBase64url(spki),
      encryptedPrivateKey: toBase64url(ciphertext),
      iv: toBase64url(iv),
      salt: toBase64url(salt),
      kdf: KDF
    };
  }

  async function fingerprint(spki) {
    var digest = new Uint8Array(await crypto.subtle.digest("SHA-256", spki));
    var hex = Array.prototype.map.call(digest.slice(0, 16), function (b) { return b.toString(16).padStart(2, "0"); });
    return hex.join(":");
  }

  /** Decrypts the bundle; null when the passphrase is wrong (AES-GCM authenticates the ciphertext). */
  async function unlockBundle(bundle, passphrase) {
    var key = await wrappingKey(passphrase, fromBase64url(bundle.salt), bundle.kdf);
    var pkcs8;
    try {
      pkcs8 = await crypto.subtle.decrypt({ name: "AES-GCM", iv: fromBase64url(bundle.iv) }, key, fromBase64url(bundle.encryptedPrivateKey));
    } catch (e) {
      return null;
    }
    var spki = fromBase64url(bundle.publicKey);
    var algorithm = { name: "ECDH", namedCurve: "P-256" };
    var privateJwk = await crypto.subtle.exportKey("jwk", await crypto.subtle.importKey("pkcs8", pkcs8, algorithm, true, ["deriveBits"]));
    var publicJwk = await crypto.subtle.exportKey("jwk", await crypto.subtle.importKey("spki", spki, algorithm, true, []));
    return { matches: privateJwk.x === publicJwk.x && privateJwk.y === publicJwk.y, fingerprint: await fingerprint(spki) };
  }

  async function fetchBundle() {
    return fetch("/api/v1/me/keys", { credentials: "same-origin", cache: "no-store" });
  }

  function showUnlock(intro) {
    $("unlock-intro").textContent = intro;
    show("view-unlock");
    $("unlock-passphrase").focus();
  }

  async function onSetup(event) {
    event.preventDefault();
    var passphrase = $("passphrase").value;
    if (Array.from(passphrase).length < MIN_PASSPHRASE_CHARS) {
      say("setup-message", "Choose a passphrase of at least " + MIN_PASSPHRASE_CHARS + " characters.", "error");
      $("passphrase").focus();
      return;
    }
    if (passphrase !== $("passphrase-confirm").value) {
      say("setup-message", "The two passphrases do not match.", "error");
      $("passphrase-confirm").focus();
      return;
    }
    busy("setup-form", true);
    say("setup-message", "Creating and locking your key. This takes a few seconds…");
    try {
      var bundle = await createBundle(passphrase);
      // With a link, the link's token authenticates; after single sign-on, the session does.
      var response = token
        ? await fetch("/api/v1/setup/complete", {
            method: "POST",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json", Authorization: "Bearer " + token },
            body: JSON.stringify(bundle)
          })
        : await fetch("/api/v1/me/keys", {
            method: "PUT",
            credentials: "same-origin",
            headers: { "Content-Type": "application/json" },
            body: JSON.stringify(bundle)
          });
      if (!response.ok) {
        say("setup-message", await errorMessage(response), "error");
        return;
      }
      var done = await response.json();
      // The token is spent: drop it from the address bar and this history entry.
      token = null;
      history.replaceState(null, "", location.pathname);
      $("setup-form").reset();
      say("setup-message", "");
      showSession(done.userName);
      showDone(done.userName);
    } catch (e) {
      say("setup-message", "Setup failed in the browser: " + e.message, "error");
    } finally {
      busy("setup-form", false);
    }
  }

  async function onUnlock(event) {
    event.preventDefault();
    var input = $("unlock-passphrase");
    var passphrase = input.value;
    busy("unlock-form", true);
    say("unlock-message", "Unlocking…");
    try {
      var response = await fetchBundle();
      if (!response.ok) {
        say("unlock-message", await errorMessage(response), "error");
        return;
      }
      var result = await unlockBundle(await response.json(), passphrase);
      if (!result) {
        say("unlock-message", "Wrong passphrase: it does not unlock your key. Try again.", "error");
      } else if (!result.matches) {
        say("unlock-message", "Your key decrypted, but it does not match your public key.", "error");
      } else {
        say("unlock-message", "Unlocked: your private key opened with your passphrase and matches your public key (fingerprint " + result.fingerprint + ").", "success");
      }
    } catch (e) {
      say("unlock-message", "Unlocking failed in the browser: " + e.message, "error");
    } finally {
      busy("unlock-form", false);
      input.value = "";
      input.focus();
    }
  }

  /** After setup: says plainly that it is done and what happens next, then offers the unlock check. */
  function showDone(userName) {
    var app = document.querySelector("main").dataset.appName || "";
    $("done-intro").textContent = "Your account " + userName + (orgName ? " at " + orgName : "") +
      " is set up. Your key is stored locked; only your passphrase opens it, and nobody else knows it.";
    $("done-use").textContent = (app ? app + " can now use your key" : "Your organization's applications can now use your key") +
      ": when it is needed, you will be asked for this passphrase.";
    $("done").hidden = false;
    showUnlock("Optional: check now that your passphrase opens your key.");
    $("done").focus();
  }

  /** Names who is asking, once the link or the session said which organization that is. */
  function showAsker(name) {
    if (!name) return;
    orgName = name;
    var app = document.querySelector("main").dataset.appName || "";
    $("org-name").textContent = name;
    $("asker-text").textContent = app
      ? "asks you to finish setting up your account for " + app + "."
      : "asks you to finish setting up your account.";
    $("asker").hidden = false;
  }

  /**
   * Asks the service whether the link still works, without using it (the token goes in the body,
   * never in a URL). null when the check itself failed: the form is shown, and completing says why.
   */
  async function checkLink(linkToken) {
    try {
      var response = await fetch("/api/v1/setup/check", {
        method: "POST",
        credentials: "omit",
        cache: "no-store",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ token: linkToken })
      });
      if (!response.ok) return null;
      return await response.json();
    } catch (e) {
      return null;
    }
  }

  function showSession(userName) {
    $("session-user").textContent = "Signed in as " + userName + ".";
    $("session-bar").hidden = false;
  }

  async function onSignOut() {
    $("sign-out").disabled = true;
    try {
      await fetch("/api/v1/me/sign-out", { method: "POST", credentials: "same-origin" });
    } finally {
      $("sign-out").disabled = false;
    }
    $("session-bar").hidden = true;
    $("unlock-form").reset();
    show("view-signed-out");
  }

  async function start() {
    token = new URLSearchParams(location.hash.slice(1)).get("token");
    if (token) {
      show("view-loading");
      var check = await checkLink(token);
      if (check) showAsker(check.orgName);
      if (check && check.state !== "valid") {
        $("link-problem-message").textContent = check.message;
        show("view-link-problem");
        return;
      }
      show("view-setup");
      $("passphrase").focus();
      return;
    }
    var response = await fetchBundle();
    if (response.ok) {
      var bundle = await response.json();
      showSession(bundle.userName);
      showUnlock("You are signed in as " + bundle.userName + ".");
      return;
    }
    if (response.status === 404) {
      var body = await response.json().catch(function () { return null; });
      if (body && body.error && body.error.code === "setup_pending") {
        // Signed in through single sign-on for the first time: create the key in this session.
        $("session-user").textContent = "You are signed in.";
        $("session-bar").hidden = false;
        show("view-setup");
        $("passphrase").focus();
        return;
      }
    }
    $("no-link-message").textContent = response.status === 403
      ? await errorMessage(response)
      : "To set up your account, sign in through your organization or open the setup link you received.";
    show("view-no-link");
  }

  document.addEventListener("DOMContentLoaded", function () {
    $("setup-form").addEventListener("submit", onSetup);
    $("unlock-form").addEventListener("submit", onUnlock);
    $("sign-out").addEventListener("click", onSignOut);
    window.addEventListener("hashchange", start);
    start();
  });
})();

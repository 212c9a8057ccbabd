/** Directory › Users: the confirmations before replacing a working setup link and before resetting a setup. */
export function UserActionDialogs() {
  return (
    <>
      <dialog id="reissue-dialog" aria-labelledby="reissue-title" aria-describedby="reissue-description">
        <form method="dialog">
          <h2 id="reissue-title">Issue a new setup link?</h2>
          <p id="reissue-description">
            <strong id="reissue-user"></strong> already has a setup link that works<span id="reissue-until"></span>. A new
            link makes that earlier link stop working at once.
          </p>
          <div class="actions">
            <button type="submit" value="cancel" autofocus>
              Cancel
            </button>
            <button type="submit" value="confirm" class="primary" id="reissue-confirm">
              Issue new link
            </button>
          </div>
        </form>
      </dialog>
      <dialog id="reset-dialog" aria-labelledby="reset-title" aria-describedby="reset-description">
        <form method="dialog">
          <h2 id="reset-title">Reset setup?</h2>
          <div id="reset-description">
            <p>
              <strong id="reset-user"></strong>'s stored key is deleted and their sessions end. They become pending again
              and need a new setup link to choose a new passphrase.
            </p>
            <p>
              Nothing encrypted to the old key can be recovered. Do this when the person lost their passphrase, or when
              someone else may have used their setup link.
            </p>
          </div>
          <div class="actions">
            <button type="submit" value="cancel" autofocus>
              Cancel
            </button>
            <button type="submit" value="confirm" class="danger" id="reset-confirm">
              Reset setup
            </button>
          </div>
        </form>
      </dialog>
    </>
  );
}

/** What every directory page says first: it shows what the identity provider pushed, and changes none of it. */
export function SourceOfTruthNotice({ action }: { action?: string }) {
  return (
    <div class="notice info" role="note">
      <strong>Read-only: your identity provider is the source of truth.</strong> It creates, changes,
      deactivates and deletes these users, groups and memberships through SCIM; make changes there and they
      appear here with its next push. {action ?? "Nothing on this page changes the directory."}
    </div>
  );
}

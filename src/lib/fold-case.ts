/**
 * The case-insensitive form of a string, for uniqueness, filtering and sorting of attributes SCIM
 * compares case-insensitively. Done in JS because SQLite's NOCASE and lower() fold ASCII only:
 * NFC first (so composed and decomposed forms are equal), then full Unicode lower-casing.
 */
export function foldCase(value: string): string {
  return value.normalize("NFC").toLowerCase();
}

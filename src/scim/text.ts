/**
 * Case folding for attributes SCIM compares case-insensitively (`caseExact: false`).
 *
 * Folding happens in JS, never in SQL: SQLite's NOCASE and lower() fold ASCII only, so "ÉMILE" and
 * "émile" would differ there. NFC first and last, because lower-casing can produce decomposed
 * sequences and clients send either form.
 */
export function fold(text: string): string {
  return text.normalize("NFC").toLowerCase().normalize("NFC");
}

/**
 * Orders strings by Unicode code point, as SQLite's BINARY collation orders UTF-8 (JS's `<` compares
 * UTF-16 code units, which disagrees for characters beyond the BMP).
 */
export function compareCodePoints(a: string, b: string): number {
  const ia = a[Symbol.iterator]();
  const ib = b[Symbol.iterator]();
  for (;;) {
    const x = ia.next();
    const y = ib.next();
    if (x.done || y.done) return x.done && y.done ? 0 : x.done ? -1 : 1;
    const d = x.value.codePointAt(0)! - y.value.codePointAt(0)!;
    if (d !== 0) return d < 0 ? -1 : 1;
  }
}

/** Characters with a <wide> or <narrow> decomposition: the ideographic space and the Halfwidth and Fullwidth Forms block. */
const WIDE_OR_NARROW = /[\u3000\uFF01-\uFFEE]/gu;
const DEFAULT_IGNORABLE = /\p{Default_Ignorable_Code_Point}/gu;
/** Every space separator (NBSP, thin space, …) and the whitespace a browser renders as a space. */
const SPACES = /[\p{Zs}\t\n\v\f\r]+/u;

/**
 * The key under which a userName is unique: the mappings of the PRECIS UsernameCaseMapped profile
 * (RFC 8265 §3.4) — width mapping (RFC 8264 §9.1), case mapping (toLowerCase), NFC — applied to each
 * space-separated part, with default-ignorable code points (zero-width space, soft hyphen, word
 * joiner, BOM, …) removed, any run of spaces read as one separator, and no leading or trailing space.
 * Names the profile would reject (symbols, controls) are not refused: identity providers send them,
 * and they are keyed by the same mappings. Two names with one key look the same in the console.
 */
export function userNameKey(userName: string): string {
  return userName
    .replace(WIDE_OR_NARROW, (ch) => ch.normalize("NFKC"))
    .replace(DEFAULT_IGNORABLE, "")
    .split(SPACES)
    .filter((part) => part !== "")
    .map((part) => part.toLowerCase().normalize("NFC"))
    .join(" ");
}

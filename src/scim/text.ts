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

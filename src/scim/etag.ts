/**
 * ETags (RFC 7644 §3.14): `W/"<meta.version>"`. Conditional headers are compared weakly (RFC 9110
 * §8.8.3.2): only the opaque tags matter, W/ or not.
 */
export function etagOf(version: number): string {
  return `W/"${version}"`;
}

/** The opaque tags of an If-Match / If-None-Match header; `["*"]` for the wildcard. */
function tagsOf(header: string): string[] {
  const tags: string[] = [];
  for (const match of header.matchAll(/\s*(\*|(?:W\/)?"([^"]*)")\s*(?:,|$)/gi)) {
    tags.push(match[1] === "*" ? "*" : match[2]);
  }
  return tags;
}

function matches(header: string, version: number): boolean {
  const tags = tagsOf(header);
  return tags.includes("*") || tags.includes(String(version));
}

/** Whether a write may proceed: no If-Match, or one that matches the current version. */
export function ifMatchAllows(header: string | undefined, version: number): boolean {
  return header === undefined || matches(header, version);
}

/** Whether a GET can answer 304 Not Modified. */
export function ifNoneMatchHits(header: string | undefined, version: number): boolean {
  return header !== undefined && matches(header, version);
}

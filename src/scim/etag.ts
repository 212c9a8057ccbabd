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

/**
 * An If-Match header as a condition on the version, for writes decided elsewhere (the OrgWriter):
 * `undefined` — unconditional; `"*"` — the resource must exist; else the versions that may be current
 * (tags that are not versions match nothing, so they fail with 412 as in `ifMatchAllows`).
 */
export type IfMatch = undefined | "*" | number[];

export function ifMatchCondition(header: string | undefined): IfMatch {
  if (header === undefined) return undefined;
  const tags = tagsOf(header);
  if (tags.includes("*")) return "*";
  return tags.filter((t) => /^\d+$/.test(t)).map(Number);
}

export function ifMatchHolds(condition: IfMatch, version: number): boolean {
  return !Array.isArray(condition) || condition.includes(version);
}

/** Shortens text to at most `max` characters, marking the cut with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

export function truncateOrNull(text: string | null | undefined, max: number): string | null {
  return text == null || text === "" ? null : truncate(text, max);
}

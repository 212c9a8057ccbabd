/**
 * The two facts about origins several rooms need, read one way everywhere: what a configured origin is
 * (PUBLIC_ORIGIN trimmed, without a trailing slash) and whether a host is this machine's own.
 */

/** A configured origin without surrounding spaces or trailing slashes; null when unset or blank. */
export function trimmedOrigin(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed.replace(/\/+$/, "") : null;
}

/** localhost (and *.localhost, RFC 6761), 127.0.0.0/8 and ::1: no network lies between it and the process. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (host === "localhost" || host.endsWith(".localhost")) return true;
  if (host === "[::1]" || host === "::1") return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

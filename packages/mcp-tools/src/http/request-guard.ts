// DNS-rebinding protection: a request must name this server in its Host header, and a
// browser request (one with an Origin) must come from one of this server's own origins.
// Pure functions over header values; the host decides which names are allowed.

export const LOOPBACK_HOSTNAMES: readonly string[] = ['localhost', '127.0.0.1', '[::1]'];

/** Whether an address to bind to is on the loopback interface. */
export function isLoopbackAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The hostname part of a Host header (port removed, IPv6 kept in brackets), lower-cased. */
export function hostnameOf(hostHeader: string): string | undefined {
  const value = hostHeader.trim().toLowerCase();
  if (value === '') return undefined;
  if (value.startsWith('[')) {
    const end = value.indexOf(']');
    if (end < 0) return undefined;
    const rest = value.slice(end + 1);
    if (rest !== '' && !/^:\d{1,5}$/.test(rest)) return undefined;
    return value.slice(0, end + 1);
  }
  const match = /^([a-z0-9.-]+)(?::\d{1,5})?$/.exec(value);
  return match?.[1];
}

/** Host names as they appear in URLs and Host headers: IPv6 in brackets. */
export function urlHostname(address: string): string {
  return address.includes(':') && !address.startsWith('[') ? `[${address}]` : address.toLowerCase();
}

export function isAllowedHost(hostHeader: string | undefined, allowedHostnames: ReadonlySet<string>): boolean {
  if (hostHeader === undefined) return false;
  const hostname = hostnameOf(hostHeader);
  return hostname !== undefined && allowedHostnames.has(hostname);
}

/** No Origin (not a browser, or same-origin GET) is fine; otherwise it must be one of ours. */
export function isAllowedOrigin(originHeader: string | undefined, allowedOrigins: ReadonlySet<string>): boolean {
  if (originHeader === undefined) return true;
  return allowedOrigins.has(originHeader.trim().toLowerCase());
}

/** The origins a browser would send for pages served by this host on `port`. */
export function originsFor(hostnames: Iterable<string>, port: number): string[] {
  return [...hostnames].map((hostname) => `http://${hostname}:${port}`);
}

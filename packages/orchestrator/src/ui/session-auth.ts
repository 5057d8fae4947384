// The dashboard's guard: a random session token (sent once in the URL, then kept in an
// HttpOnly cookie), loopback-only Host headers against DNS rebinding, and same-origin JSON
// for every request that changes something.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/** Cookies are shared by every port of a host, so each dashboard names its cookie after its port. */
export function sessionCookieName(port: number): string {
  return `baton_session_${port}`;
}
const LOOPBACK_HOSTNAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** 256 random bits, URL-safe. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Compares in time independent of where the strings differ (hashing first evens out lengths). */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

export function sessionCookie(token: string, port: number): string {
  return `${sessionCookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`;
}

export function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The token a request presents: `Authorization: Bearer` first, then the session cookie. */
export function presentedToken(request: IncomingMessage, port: number): string | undefined {
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice('Bearer '.length).trim();
  return cookieValue(request.headers.cookie, sessionCookieName(port));
}

export function isAuthorized(request: IncomingMessage, token: string, port: number): boolean {
  const given = presentedToken(request, port);
  return given !== undefined && tokensEqual(given, token);
}

/**
 * True when the Host header names a loopback address on our port. A page on an attacker's
 * domain that re-resolves to 127.0.0.1 (DNS rebinding) sends its own name here and is refused.
 */
export function isLoopbackHost(hostHeader: string | undefined, port: number): boolean {
  if (!hostHeader) return false;
  const match = /^(\[[0-9a-fA-F:]+\]|[^:[\]]+):(\d+)$/.exec(hostHeader.trim());
  if (!match) return false;
  return LOOPBACK_HOSTNAMES.has(match[1]!.toLowerCase()) && Number(match[2]) === port;
}

/** A state-changing request must come from our own origin and carry JSON (forms cannot send it). */
export function sameOriginJsonProblem(request: IncomingMessage, port: number): string | undefined {
  const origin = request.headers.origin;
  if (!origin) return 'the request has no Origin header; state-changing requests must come from the dashboard page';
  let parsed: URL;
  try {
    parsed = new URL(origin);
  } catch {
    return `the Origin ${JSON.stringify(origin)} is not a URL`;
  }
  if (parsed.protocol !== 'http:' || !isLoopbackHost(parsed.host, port) || parsed.host !== request.headers.host) {
    return `the Origin ${JSON.stringify(origin)} is not this dashboard's origin`;
  }
  const type = request.headers['content-type'] ?? '';
  if (!/^application\/json\s*(;|$)/i.test(type)) return 'state-changing requests must send Content-Type: application/json';
  return undefined;
}

// Bearer secrets for grants and the admin API. A grant token is `<grant id>.<secret>`: the id
// finds the grant, the secret (32 random bytes, base64url) is kept only as a SHA-256 hash and
// compared in constant time. The id is not secret; it also names the grant in audit records.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

const SECRET_BYTES = 32;
/** RFC 6750 b64token characters, bounded so a huge header is not hashed. */
const BEARER_SYNTAX = /^[A-Za-z0-9\-._~+/]+=*$/;
const MAX_TOKEN_LENGTH = 512;

export function newSecret(): string {
  return randomBytes(SECRET_BYTES).toString('base64url');
}

export function newGrantId(): string {
  return `g${randomBytes(8).toString('hex')}`;
}

export function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}

/** Constant-time comparison of two SHA-256 digests. */
export function digestsMatch(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Whether `presented` equals `expected`, without leaking where they differ. */
export function secretsMatch(presented: string, expected: string): boolean {
  return digestsMatch(hashSecret(presented), hashSecret(expected));
}

export function formatGrantToken(id: string, secret: string): string {
  return `${id}.${secret}`;
}

export function parseGrantToken(token: string): { id: string; secret: string } | undefined {
  const dot = token.indexOf('.');
  if (dot <= 0 || dot === token.length - 1) return undefined;
  return { id: token.slice(0, dot), secret: token.slice(dot + 1) };
}

export function isWellFormedBearer(token: string): boolean {
  return token.length <= MAX_TOKEN_LENGTH && BEARER_SYNTAX.test(token);
}

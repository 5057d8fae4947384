// Reads `Authorization: Bearer <token>`; a missing or malformed header is a 401.
import type { IncomingMessage } from 'node:http';
import { isWellFormedBearer } from '../grants/grant-token.ts';
import { unauthorized } from './http-error.ts';

/** The bearer token of a request, or throws the 401 to answer with. */
export function requireBearerToken(req: IncomingMessage): string {
  const header = req.headers.authorization;
  if (header === undefined || header.trim() === '') {
    throw unauthorized('missing Authorization: Bearer <token> header; ask your operator for a grant token', undefined);
  }
  const match = /^Bearer +(\S+)\s*$/i.exec(header);
  if (!match || !isWellFormedBearer(match[1]!)) {
    throw unauthorized('malformed Authorization header; expected "Bearer <token>"', 'invalid_request');
  }
  return match[1]!;
}

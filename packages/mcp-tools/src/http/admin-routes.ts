// The admin API: `POST /grants` mints a grant, `DELETE /grants/:id` revokes one (closing its
// open sessions). Only the admin token may call it; a grant token cannot mint grants.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GrantRequestError, parseGrantRequest } from '../grants/grant-request.ts';
import type { GrantRegistry } from '../grants/grant-registry.ts';
import { secretsMatch } from '../grants/grant-token.ts';
import { requireBearerToken } from './bearer-token.ts';
import { HttpError, sendJson, unauthorized } from './http-error.ts';
import { parseJsonBody, readBody } from './read-body.ts';

export interface AdminRoutesOptions {
  adminToken: string;
  grants: GrantRegistry;
  maxBodyBytes: number;
}

/** Answers the request if it is an admin route; returns false if the path is not one. */
export type AdminRoutes = (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<boolean>;

export function createAdminRoutes(options: AdminRoutesOptions): AdminRoutes {
  function requireAdmin(req: IncomingMessage): void {
    const token = requireBearerToken(req);
    if (secretsMatch(token, options.adminToken)) return;
    if (options.grants.lookup(token).status === 'active') {
      throw new HttpError({ status: 403, code: 'forbidden', message: 'a grant token cannot manage grants; use the admin token' });
    }
    throw unauthorized('invalid admin token', 'invalid_token');
  }

  return async (req, res, pathname) => {
    if (pathname === '/grants') {
      if (req.method !== 'POST') throw methodNotAllowed('POST');
      requireAdmin(req);
      const body = parseJsonBody(await readBody(req, options.maxBodyBytes));
      try {
        const minted = options.grants.mint(parseGrantRequest(body));
        sendJson(res, 201, { id: minted.id, token: minted.token, expires_at: new Date(minted.expiresAt).toISOString() });
      } catch (error) {
        if (error instanceof GrantRequestError) throw new HttpError({ status: 400, code: 'invalid_grant', message: error.message });
        throw error;
      }
      return true;
    }
    const match = /^\/grants\/([^/]+)$/.exec(pathname);
    if (match) {
      if (req.method !== 'DELETE') throw methodNotAllowed('DELETE');
      requireAdmin(req);
      const id = decodePathSegment(match[1]!);
      if (!options.grants.revoke(id)) throw new HttpError({ status: 404, code: 'grant_not_found', message: `no grant with id ${id}` });
      res.writeHead(204, { 'Cache-Control': 'no-store' }).end();
      return true;
    }
    return false;
  };
}

function methodNotAllowed(allow: string): HttpError {
  return new HttpError({ status: 405, code: 'method_not_allowed', message: `use ${allow}`, headers: { Allow: allow } });
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw new HttpError({ status: 400, code: 'invalid_path', message: 'the grant id in the path is not valid percent-encoding' });
  }
}

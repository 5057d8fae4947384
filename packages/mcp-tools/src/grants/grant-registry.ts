// Grants minted at run time for HTTP sessions: mint returns the bearer token once, the
// registry keeps only its hash. Revocation is immediate and tells listeners, so a host
// can close the sessions that were opened with the grant.
import type { Grant } from '../grant.ts';
import { isExpired } from '../permissions.ts';
import { grantFromRequest, type GrantRequest } from './grant-request.ts';
import { digestsMatch, formatGrantToken, hashSecret, newGrantId, newSecret, parseGrantToken } from './grant-token.ts';

export interface MintedGrant {
  id: string;
  /** The bearer token; shown once, never stored. */
  token: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  grant: Grant;
}

export type GrantStatus = 'active' | 'expired' | 'revoked' | 'unknown';

export type GrantLookup =
  | { status: 'active'; grant: Grant }
  | { status: 'expired' | 'revoked'; grantId: string }
  | { status: 'unknown' };

export interface GrantRegistry {
  /** Validates the request (throws GrantRequestError) and issues a grant with a fresh token. */
  mint(request: GrantRequest): MintedGrant;
  /** Revokes at once; false if no such grant is known. */
  revoke(id: string): boolean;
  /** Finds the grant a bearer token belongs to. */
  lookup(token: string): GrantLookup;
  status(id: string): GrantStatus;
  /** Called with the grant id on every revocation; returns an unsubscribe function. */
  onRevoke(listener: (grantId: string) => void): () => void;
}

export interface GrantRegistryOptions {
  now?: () => number;
  /** How long revoked or expired grants are remembered (to answer with the precise reason). */
  tombstoneMs?: number;
}

interface GrantEntry {
  grant: Grant;
  secretHash: Buffer;
  revokedAt: number | undefined;
}

// Compared against when the id is unknown, so unknown and wrong tokens cost the same.
const DUMMY_HASH = hashSecret('no such grant');

export function createGrantRegistry(options: GrantRegistryOptions = {}): GrantRegistry {
  const now = options.now ?? Date.now;
  const tombstoneMs = options.tombstoneMs ?? 3_600_000;
  const entries = new Map<string, GrantEntry>();
  const listeners = new Set<(grantId: string) => void>();

  function statusOf(entry: GrantEntry | undefined): GrantStatus {
    if (!entry) return 'unknown';
    if (entry.revokedAt !== undefined) return 'revoked';
    return isExpired(entry.grant, now()) ? 'expired' : 'active';
  }

  function prune(): void {
    const cutoff = now() - tombstoneMs;
    for (const [id, entry] of entries) {
      const endedAt = entry.revokedAt ?? entry.grant.expiresAt;
      if (endedAt !== undefined && endedAt < cutoff) entries.delete(id);
    }
  }

  return {
    mint(request) {
      prune();
      let id = newGrantId();
      while (entries.has(id)) id = newGrantId();
      const grant = grantFromRequest(request, { id, nowMs: now() });
      const secret = newSecret();
      entries.set(id, { grant, secretHash: hashSecret(secret), revokedAt: undefined });
      return { id, token: formatGrantToken(id, secret), expiresAt: grant.expiresAt, grant };
    },

    revoke(id) {
      const entry = entries.get(id);
      if (!entry) return false;
      if (entry.revokedAt === undefined) {
        entry.revokedAt = now();
        for (const listener of listeners) {
          try {
            listener(id);
          } catch {
            // A failing listener must not stop the others from closing their sessions.
          }
        }
      }
      return true;
    },

    lookup(token) {
      const parsed = parseGrantToken(token);
      const entry = parsed ? entries.get(parsed.id) : undefined;
      const presented = hashSecret(parsed?.secret ?? token);
      const matches = digestsMatch(presented, entry?.secretHash ?? DUMMY_HASH);
      if (!entry || !matches) return { status: 'unknown' };
      const status = statusOf(entry);
      return status === 'active' ? { status, grant: entry.grant } : { status: status === 'revoked' ? 'revoked' : 'expired', grantId: entry.grant.id };
    },

    status(id) {
      return statusOf(entries.get(id));
    },

    onRevoke(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

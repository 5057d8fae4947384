// Minting, lookup by token, expiry and revocation of run-time grants.
import { describe, expect, it } from 'vitest';
import { createGrantRegistry } from './grant-registry.ts';
import { parseGrantToken } from './grant-token.ts';

function clock(start = 1_000_000) {
  let t = start;
  return { now: () => t, advance: (ms: number) => (t += ms) };
}

const request = { tools: ['read_file' as const], read: ['src/**'], expires_in_s: 60 };

describe('createGrantRegistry', () => {
  it('mints a grant whose token finds it, with >= 128 bits of randomness per token', () => {
    const time = clock();
    const registry = createGrantRegistry({ now: time.now });
    const a = registry.mint(request);
    const b = registry.mint(request);
    expect(a.id).not.toBe(b.id);
    expect(a.expiresAt).toBe(1_060_000);
    const secret = parseGrantToken(a.token)?.secret ?? '';
    expect(Buffer.from(secret, 'base64url').length).toBeGreaterThanOrEqual(16);
    const found = registry.lookup(a.token);
    expect(found).toEqual({ status: 'active', grant: a.grant });
    expect(a.grant).toMatchObject({ id: a.id, read: ['src/**'], tools: ['read_file'] });
  });

  it('answers unknown for wrong secrets, foreign ids, missing dots and garbage', () => {
    const registry = createGrantRegistry();
    const { id, token } = registry.mint(request);
    const other = createGrantRegistry().mint(request);
    const flipped = `${token.slice(0, -1)}${token.endsWith('A') ? 'B' : 'A'}`;
    for (const bad of [flipped, `${id}.`, id, other.token, `${id}.${parseGrantToken(other.token)!.secret}`, 'x', '']) {
      expect(registry.lookup(bad)).toEqual({ status: 'unknown' });
    }
  });

  it('reports a grant as expired once its lifetime has passed', () => {
    const time = clock();
    const registry = createGrantRegistry({ now: time.now });
    const minted = registry.mint(request);
    time.advance(59_999);
    expect(registry.status(minted.id)).toBe('active');
    time.advance(1);
    expect(registry.lookup(minted.token)).toEqual({ status: 'expired', grantId: minted.id });
  });

  it('revokes at once, tells listeners once, and forgets the grant after the tombstone period', () => {
    const time = clock();
    const registry = createGrantRegistry({ now: time.now, tombstoneMs: 1000 });
    const minted = registry.mint(request);
    const told: string[] = [];
    registry.onRevoke(() => {
      throw new Error('a failing listener');
    });
    const stop = registry.onRevoke((id) => told.push(id));
    expect(registry.revoke(minted.id)).toBe(true);
    expect(registry.revoke(minted.id)).toBe(true);
    expect(told).toEqual([minted.id]);
    expect(registry.lookup(minted.token)).toEqual({ status: 'revoked', grantId: minted.id });
    expect(registry.revoke('g-none')).toBe(false);
    stop();
    time.advance(1001);
    registry.mint(request);
    expect(registry.status(minted.id)).toBe('unknown');
  });
});

// Store locations: which are PostgreSQL, how a URL is shown, and that baton.config.json (a
// committed file) cannot carry a database password.
import { describe, expect, it } from 'vitest';
import { BatonConfigSchema } from '../config/config-schema.ts';
import { storeLocation } from './open-store.ts';
import { isPostgresUrl, redactStoreUrl } from './store-url.ts';

describe('store locations', () => {
  it('tells PostgreSQL URLs from file paths and never shows a password', () => {
    expect(isPostgresUrl('postgres://db/baton')).toBe(true);
    expect(isPostgresUrl('postgresql://db/baton')).toBe(true);
    expect(isPostgresUrl('/repo/.git/baton/state.db')).toBe(false);
    expect(redactStoreUrl('postgres://baton:s3cret@db.internal:5432/baton?sslmode=require')).toBe('postgres://baton:***@db.internal:5432/baton?sslmode=require');
    expect(redactStoreUrl('postgres://db/baton?password=s3cret')).not.toContain('s3cret');
    expect(redactStoreUrl('/a/state.db')).toBe('/a/state.db');
  });

  it('takes --store, then BATON_STORE_URL, then the config, then the repository’s file', async () => {
    expect(await storeLocation({ flag: 'postgres://a/x', configStore: 'postgres://c/x', env: { BATON_STORE_URL: 'postgres://b/x' } })).toBe('postgres://a/x');
    expect(await storeLocation({ configStore: 'postgres://c/x', env: { BATON_STORE_URL: 'postgres://b/x' } })).toBe('postgres://b/x');
    expect(await storeLocation({ configStore: 'postgres://c/x', env: {} })).toBe('postgres://c/x');
    await expect(storeLocation({ env: {} })).rejects.toThrow(/no store given/);
  });

  it('refuses a password in baton.config.json, which is committed', () => {
    expect(BatonConfigSchema.safeParse({ store: 'postgres://baton@db/baton' }).success).toBe(true);
    const refused = BatonConfigSchema.safeParse({ store: 'postgres://baton:s3cret@db/baton' });
    expect(refused.success).toBe(false);
    expect(JSON.stringify(refused.error?.issues)).toMatch(/must not hold a password/);
  });
});

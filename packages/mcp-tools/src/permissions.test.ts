import { describe, expect, it } from 'vitest';
import { GrantSchema } from './grant.ts';
import { canRead, canUseTool, canWrite, isExpired } from './permissions.ts';

const grant = GrantSchema.parse({
  tools: ['read_file', 'apply_diff'],
  read: ['src/**', 'README.md', '.github/**'],
  write: ['src/feature/**'],
  expiresAt: 1_000,
});

describe('permission predicates', () => {
  it('reads only what the read globs match, dotfiles included', () => {
    expect(canRead(grant, 'src/a.ts')).toBe(true);
    expect(canRead(grant, 'src/.hidden/x.ts')).toBe(true);
    expect(canRead(grant, '.github/workflows/ci.yml')).toBe(true);
    expect(canRead(grant, 'README.md')).toBe(true);
    expect(canRead(grant, 'secrets/key.pem')).toBe(false);
    expect(canRead(grant, 'srcx/a.ts')).toBe(false);
  });

  it('never reads or writes .git, even when a glob would match it', () => {
    const everything = GrantSchema.parse({ read: ['**'], write: ['**'] });
    expect(canRead(everything, '.git/config')).toBe(false);
    expect(canWrite(everything, '.git/hooks/pre-commit')).toBe(false);
    expect(canWrite(everything, 'vendor/lib/.git/HEAD')).toBe(false);
    expect(canWrite(everything, '.gitignore')).toBe(true);
  });

  it('writes only inside the write globs; empty write scope is read-only', () => {
    expect(canWrite(grant, 'src/feature/x.ts')).toBe(true);
    expect(canWrite(grant, 'src/other.ts')).toBe(false);
    expect(canWrite(GrantSchema.parse({}), 'src/a.ts')).toBe(false);
  });

  it('reads "!glob" as an exclusion that narrows the grant, never as "everything else"', () => {
    const narrowed = GrantSchema.parse({ read: ['src/**', '!**/.env'], write: ['src/**', '!**/*.pem'] });
    expect(canRead(narrowed, 'src/a.ts')).toBe(true);
    expect(canRead(narrowed, 'src/.env')).toBe(false);
    expect(canRead(narrowed, 'docs/a.md')).toBe(false);
    expect(canWrite(narrowed, 'src/key.pem')).toBe(false);
    expect(canWrite(narrowed, 'docs/a.md')).toBe(false);
    expect(canWrite(GrantSchema.parse({ write: ['!secret/**'] }), 'anything.ts')).toBe(false);
  });

  it('gates tools and expiry', () => {
    expect(canUseTool(grant, 'read_file')).toBe(true);
    expect(canUseTool(grant, 'run_tests')).toBe(false);
    expect(isExpired(grant, 999)).toBe(false);
    expect(isExpired(grant, 1_000)).toBe(true);
    expect(isExpired(GrantSchema.parse({}), Number.MAX_SAFE_INTEGER)).toBe(false);
  });

  it('keeps two grants independent (no shared module state)', () => {
    const a = GrantSchema.parse({ read: ['a/**'] });
    const b = GrantSchema.parse({ read: ['b/**'] });
    expect(canRead(a, 'a/x')).toBe(true);
    expect(canRead(b, 'a/x')).toBe(false);
    expect(canRead(a, 'b/x')).toBe(false);
  });
});

describe('grant globs', () => {
  const refused: [string, RegExp][] = [
    ['../**', /outside the repository root/],
    ['src/../../x', /outside the repository root/],
    ['!..', /outside the repository root/],
    ['{src,..}/**', /outside the repository root/],
    ['/etc/**', /absolute/],
    ['{src,/etc}/**', /absolute/],
    ['./src/**', /"\.\/"/],
    ['!', /empty/],
  ];
  it.each(refused)('refuses %j', (glob, reason) => {
    const parsed = GrantSchema.safeParse({ read: [glob] });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(reason);
    expect(parsed.error?.issues[0]?.message).toContain(`"${glob}"`);
    expect(GrantSchema.safeParse({ write: [glob] }).success).toBe(false);
  });
  it.each(['**', 'src/**', '!src/private/**', '..foo/**', 'a..b/*.ts', 'src/\\[id\\].ts', '.github/**'])('accepts %j', (glob) => {
    expect(GrantSchema.safeParse({ read: [glob], write: [glob] }).success).toBe(true);
  });
});

import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isGitPath, isInside, resolveRequestedPath } from './resolve-path.ts';

describe('resolveRequestedPath (lexical, pure)', () => {
  const root = '/srv/repo';
  const rejected: [string, string][] = [
    ['../etc/passwd', 'outside_root'],
    ['src/../../etc/passwd', 'outside_root'],
    ['/etc/passwd', 'outside_root'],
    ['/srv/repo-other/secret', 'outside_root'],
    ['/srv/repo/../repo-other/x', 'outside_root'],
    ['..', 'outside_root'],
    ['src/\0.ts', 'nul_byte'],
    ['..\\..\\etc\\passwd', 'backslash'],
    ['src\\index.ts', 'backslash'],
  ];
  it.each(rejected)('rejects %j (%s)', (requested, reason) => {
    const result = resolveRequestedPath(root, requested);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toBe(reason);
  });

  const accepted: [string, string][] = [
    ['src/index.ts', 'src/index.ts'],
    ['./src/./index.ts', 'src/index.ts'],
    ['src/../README.md', 'README.md'],
    ['/srv/repo/src/a.ts', 'src/a.ts'],
    ['%2e%2e/%2e%2e/etc/passwd', '%2e%2e/%2e%2e/etc/passwd'],
    ['..foo/bar', '..foo/bar'],
    ['', ''],
    ['.', ''],
  ];
  it.each(accepted)('accepts %j as %j', (requested, rel) => {
    const result = resolveRequestedPath(root, requested);
    expect(result).toEqual({ ok: true, abs: path.join(root, rel), rel });
  });

  it('treats a sibling with the root as prefix as outside', () => {
    expect(isInside('/srv/repo', '/srv/repo-other')).toBe(false);
    expect(isInside('/srv/repo', '/srv/repo/other')).toBe(true);
    expect(isInside('/srv/repo', '/srv/repo')).toBe(true);
  });

  it('recognises .git in any segment and any case', () => {
    expect(isGitPath('.git/config')).toBe(true);
    expect(isGitPath('sub/.git/HEAD')).toBe(true);
    expect(isGitPath('.GIT/hooks/pre-commit')).toBe(true);
    expect(isGitPath('.gitignore')).toBe(false);
    expect(isGitPath('.github/workflows/ci.yml')).toBe(false);
  });
});

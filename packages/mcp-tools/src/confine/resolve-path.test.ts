import { mkdir, symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';
import { isGitPath, isInside, resolveRealPath, resolveRequestedPath } from './resolve-path.ts';

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

describe('resolveRealPath (follows symlinks)', () => {
  let repo: TempRepo;
  beforeAll(async () => {
    repo = await makeTempRepo({ 'src/a.ts': 'a', 'docs/b.md': 'b' });
    await writeFile(path.join(repo.outside, 'secret.txt'), 'top secret');
    await symlink(path.join(repo.outside, 'secret.txt'), path.join(repo.root, 'file-link'));
    await symlink(repo.outside, path.join(repo.root, 'dir-link'));
    await symlink('../repo-other', path.join(repo.root, 'relative-dir-link'));
    await symlink(path.join(repo.root, 'src/a.ts'), path.join(repo.root, 'inside-link'));
    await mkdir(path.join(repo.root, 'nested'));
    await symlink('/etc', path.join(repo.root, 'nested/etc'));
  });
  afterAll(() => repo.cleanup());

  const escapes = ['file-link', 'dir-link/secret.txt', 'relative-dir-link/secret.txt', 'dir-link/new-file.txt', 'nested/etc/passwd'];
  it.each(escapes)('rejects %j whose real path leaves the root', async (rel) => {
    const result = await resolveRealPath(repo.root, path.join(repo.root, rel));
    expect(result).toMatchObject({ ok: false, reason: 'symlink_escape' });
  });

  it('accepts a symlink that stays inside and reports its real target', async () => {
    const result = await resolveRealPath(repo.root, path.join(repo.root, 'inside-link'));
    expect(result).toMatchObject({ ok: true, rel: 'src/a.ts' });
  });

  it('judges a not-yet-existing path by its nearest existing ancestor', async () => {
    const result = await resolveRealPath(repo.root, path.join(repo.root, 'src/new/deep/file.ts'));
    expect(result).toMatchObject({ ok: true, rel: 'src/new/deep/file.ts' });
  });
});

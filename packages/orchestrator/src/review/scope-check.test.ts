import { describe, expect, it } from 'vitest';
import { checkDiffScope, parseNameStatus } from './scope-check.ts';

describe('checkDiffScope', () => {
  const writeScope = ['src/export/**', 'docs/api.md'];
  const protectedPaths = ['.github/**', '**/.env'];

  it('accepts a diff inside the write scope', () => {
    const changed = parseNameStatus('M\0src/export/csv.ts\0A\0src/export/index.ts\0M\0docs/api.md\0');
    expect(checkDiffScope({ changed, writeScope, protectedPaths })).toEqual([]);
  });

  it('flags files outside the scope, protected paths, .git, and both sides of a rename', () => {
    const changed = parseNameStatus('M\0src/users/repo.ts\0A\0src/export/.env\0R100\0src/users/a.ts\0src/export/a.ts\0M\0.git/config\0');
    expect(checkDiffScope({ changed, writeScope, protectedPaths })).toEqual([
      { path: 'src/users/repo.ts', reason: 'outside_write_scope' },
      { path: 'src/export/.env', reason: 'protected_path' },
      { path: 'src/users/a.ts', reason: 'outside_write_scope' },
      { path: '.git/config', reason: 'git_dir' },
    ]);
  });

  it('treats an empty write scope as read-only', () => {
    expect(checkDiffScope({ changed: [{ path: 'a.ts', status: 'modified' }], writeScope: [], protectedPaths: [] })).toEqual([
      { path: 'a.ts', reason: 'outside_write_scope' },
    ]);
  });
});

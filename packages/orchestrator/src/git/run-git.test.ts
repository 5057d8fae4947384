// baton's git never runs the repository's hooks (a worker could have written one), whether
// they sit in .git/hooks or in a directory the repository's config names.
import { chmodSync, existsSync, mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git } from './run-git.ts';

let dir: string;
beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-run-git-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function hook(hooksDir: string, name: string, marker: string): void {
  mkdirSync(hooksDir, { recursive: true });
  writeFileSync(path.join(hooksDir, name), `#!/bin/sh\ntouch '${marker}'\n`);
  chmodSync(path.join(hooksDir, name), 0o755);
}

describe('git as baton runs it', () => {
  it('runs no hooks: neither .git/hooks nor a configured core.hooksPath', async () => {
    const repo = path.join(dir, 'repo');
    mkdirSync(repo);
    await git(['init', '-q', '-b', 'main'], { cwd: repo });
    hook(path.join(repo, '.git', 'hooks'), 'post-commit', path.join(dir, 'post-commit-ran'));
    await git(['commit', '-q', '--allow-empty', '-m', 'one'], { cwd: repo });
    hook(path.join(repo, '.husky'), 'post-checkout', path.join(dir, 'post-checkout-ran'));
    await git(['config', 'core.hooksPath', '.husky'], { cwd: repo });
    await git(['worktree', 'add', '-q', path.join(dir, 'wt'), 'HEAD'], { cwd: repo });
    expect(existsSync(path.join(dir, 'post-checkout-ran'))).toBe(false);
    expect(existsSync(path.join(dir, 'post-commit-ran'))).toBe(false);
  });
});

import { execFileSync } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultStorePath, openRepoStore } from './open-store.ts';

let dir: string;

beforeEach(async () => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-store-repo-')));
});
afterEach(async () => rmSync(dir, { recursive: true, force: true }));

describe('store location', () => {
  it('lives in the git directory, where it is never committed, shared by worktrees', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'init');
    expect(await defaultStorePath(dir)).toBe(path.join(dir, '.git', 'baton', 'state.db'));
    const store = await openRepoStore({ repoRoot: dir });
    await (await store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'HEAD', maxWorkers: 1 })).release();
    await store.close();
    expect(git('status', '--porcelain', '--ignored').toString()).toBe('');
    git('worktree', 'add', '-q', path.join(dir, 'wt'));
    expect(await defaultStorePath(path.join(dir, 'wt'))).toBe(path.join(dir, '.git', 'baton', 'state.db'));
  });
});

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { defaultStorePath, openRepoStore, openRunStore } from './run-store.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
let dir: string;

beforeEach(() => {
  dir = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-store-repo-')));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('store location', () => {
  it('lives in the git directory, where it is never committed, shared by worktrees', async () => {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: dir, GIT_CONFIG_NOSYSTEM: '1' } });
    git('init', '-q', '-b', 'main');
    git('-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-q', '--allow-empty', '-m', 'init');
    expect(await defaultStorePath(dir)).toBe(path.join(dir, '.git', 'baton', 'state.db'));
    const store = await openRepoStore({ repoRoot: dir });
    store.createRun({ runId: 'r', ticket: 't', workflow: 'feature', baseCommit: 'HEAD', maxWorkers: 1 }).release();
    store.close();
    expect(git('status', '--porcelain', '--ignored').toString()).toBe('');
    git('worktree', 'add', '-q', path.join(dir, 'wt'));
    expect(await defaultStorePath(path.join(dir, 'wt'))).toBe(path.join(dir, '.git', 'baton', 'state.db'));
  });
});

describe('concurrent runs', () => {
  it('lets several processes write different runs of one store at the same time', async () => {
    const file = path.join(dir, 'state.db');
    openRunStore({ path: file }).close();
    const children = ['one', 'two', 'three'].map(
      (runId) =>
        new Promise<string>((resolve, reject) => {
          const child = spawn(process.execPath, [path.join(here, 'append-child.ts'), file, runId, '300'], { stdio: ['ignore', 'pipe', 'pipe'] });
          let err = '';
          child.stderr.on('data', (c: Buffer) => (err += c.toString()));
          child.on('exit', (code) => (code === 0 ? resolve(runId) : reject(new Error(`writer of ${runId} failed (${code}): ${err}`))));
        }),
    );
    const store = openRunStore({ path: file });
    try {
      const mine = store.createRun({ runId: 'parent', ticket: 't', workflow: 'feature', baseCommit: 'b', maxWorkers: 1 });
      for (let i = 0; i < 300; i++) mine.append({ type: 'task_event', taskId: 'work', attempt: 1, kind: 'model_call', usage: { inputTokens: 1, outputTokens: 1 } });
      mine.release();
      await Promise.all(children);
      for (const runId of ['one', 'two', 'three', 'parent']) {
        const events = store.events(runId);
        expect(events).toHaveLength(301);
        expect(events.map((e) => e.seq)).toEqual(Array.from({ length: 301 }, (_, i) => i + 1));
      }
      expect(store.state('one').usage.toolCalls).toBe(300);
      expect(store.listRuns().every((r) => r.lockedBy === undefined)).toBe(true);
    } finally {
      store.close();
    }
  });
});

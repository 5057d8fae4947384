import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git, gitOut } from '../git/run-git.ts';
import { cherryPickTask, dropLastMerge } from './cherry-pick-task.ts';

let dir: string;
let repo: string;
let integration: string;

async function commitFile(cwd: string, file: string, content: string, message: string): Promise<string> {
  await writeFile(path.join(cwd, file), content);
  await git(['add', file], { cwd });
  await git(['commit', '-q', '-m', message], { cwd });
  return gitOut(['rev-parse', 'HEAD'], { cwd });
}

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-merge-'));
  repo = path.join(dir, 'repo');
  await git(['init', '-q', '-b', 'main', repo], { cwd: dir });
  await commitFile(repo, 'a.txt', 'one\ntwo\nthree\n', 'base');
  await git(['branch', 'baton/r1'], { cwd: repo });
  integration = path.join(dir, 'integration');
  await git(['worktree', 'add', '-q', integration, 'baton/r1'], { cwd: repo });
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function taskCommit(name: string, content: string): Promise<string> {
  const wt = path.join(dir, name);
  await git(['worktree', 'add', '-q', '--detach', wt, 'main'], { cwd: repo });
  return commitFile(wt, 'a.txt', content, `task ${name}`);
}

describe('cherryPickTask', () => {
  it('merges non-overlapping task commits in order', async () => {
    const first = await taskCommit('t1', 'ONE\ntwo\nthree\n');
    const second = await taskCommit('t2', 'one\ntwo\nTHREE\n');
    expect((await cherryPickTask({ integrationDir: integration, taskCommit: first })).kind).toBe('merged');
    expect((await cherryPickTask({ integrationDir: integration, taskCommit: second })).kind).toBe('merged');
    expect(await readFile(path.join(integration, 'a.txt'), 'utf8')).toBe('ONE\ntwo\nTHREE\n');
    expect(await gitOut(['status', '--porcelain'], { cwd: repo })).toBe('');
  });

  it('reports a same-lines conflict and leaves the run branch unchanged', async () => {
    const first = await taskCommit('t1', 'one\nTWO (first)\nthree\n');
    const second = await taskCommit('t2', 'one\nTWO (second)\nthree\n');
    const merged = await cherryPickTask({ integrationDir: integration, taskCommit: first });
    const head = await gitOut(['rev-parse', 'HEAD'], { cwd: integration });
    const outcome = await cherryPickTask({ integrationDir: integration, taskCommit: second });
    expect(merged.kind).toBe('merged');
    expect(outcome).toMatchObject({ kind: 'conflict', files: ['a.txt'] });
    if (outcome.kind === 'conflict') expect(outcome.conflictDiff).toContain('TWO (second)');
    expect(await gitOut(['rev-parse', 'HEAD'], { cwd: integration })).toBe(head);
    expect(await gitOut(['status', '--porcelain'], { cwd: integration })).toBe('');
  });

  it('recognises work that is already on the branch, and drops the newest merge on request', async () => {
    const first = await taskCommit('t1', 'ONE\ntwo\nthree\n');
    const merged = await cherryPickTask({ integrationDir: integration, taskCommit: first });
    expect(await cherryPickTask({ integrationDir: integration, taskCommit: first })).toEqual({ kind: 'already_applied' });
    if (merged.kind !== 'merged') throw new Error('expected a merge');
    await dropLastMerge({ integrationDir: integration, expectedHead: merged.commit });
    expect(await readFile(path.join(integration, 'a.txt'), 'utf8')).toBe('one\ntwo\nthree\n');
  });
});

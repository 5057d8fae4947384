// baton's checkouts on a real repository: many made at once without git tripping over its own
// half-written entries; what a git killed mid-operation leaves (a locked "initializing"
// worktree, a stale lock on the run branch) recognised as baton's and repaired, while the
// user's own half-made worktree and locks stay untouched; cleanup after a finished run.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { git, gitOut } from '../git/run-git.ts';
import { makePlan } from '../plan/make-task.ts';
import { createRunBranch } from '../run/git-integration.ts';
import { gitWorkspaces } from '../run/git-workspaces.ts';
import { makeGitPause, type GitPauseMatch } from '../testing/git-pause.ts';
import { runWorktreesDir } from './baton-paths.ts';
import { cleanUpFinishedRun, repairRunCheckouts } from './run-checkouts.ts';
import { addRunWorktree } from './run-worktrees.ts';

let base: string;
let repo: string;
let head: string;

beforeEach(async () => {
  base = realpathSync(mkdtempSync(path.join(tmpdir(), 'baton-checkouts-')));
  repo = path.join(base, 'repo');
  mkdirSync(path.join(repo, 'src'), { recursive: true });
  writeFileSync(path.join(repo, 'src', 'a.txt'), 'a\n');
  await git(['init', '-q', '-b', 'main'], { cwd: repo });
  await git(['add', '-A'], { cwd: repo });
  await git(['commit', '-q', '-m', 'initial'], { cwd: repo });
  head = await gitOut(['rev-parse', 'HEAD'], { cwd: repo });
  await createRunBranch(repo, 'r', head);
});
afterEach(() => rmSync(base, { recursive: true, force: true }));

const task = (id: string) => makePlan([{ id, write_scope: ['src/**'] }]).tasks[0]!;
const adminDir = (name: string) => path.join(repo, '.git', 'worktrees', name);

/** Runs git (own process group) with a pause hook and SIGKILLs the group once it is frozen mid-operation. */
async function killGitMidway(args: string[], cwd: string, match: GitPauseMatch): Promise<void> {
  const pause = makeGitPause({ dir: mkdtempSync(path.join(base, 'pause-')), match });
  const child = spawn('git', ['-c', `core.hooksPath=${pause.hooksDir}`, ...args], { cwd, detached: true, stdio: 'ignore', env: { PATH: process.env['PATH'] ?? '', HOME: base, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@t', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@t', BATON_TEST_GIT_COMMAND: args[0]! } });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await pause.paused();
  process.kill(-child.pid!, 'SIGKILL');
  await exited;
}

describe('run checkouts', () => {
  it('makes many task worktrees at once without one git reading another\'s half-written entry', async () => {
    const workspaces = gitWorkspaces({ repo });
    for (let round = 1; round <= 5; round++) {
      const made = await Promise.all(Array.from({ length: 8 }, (_, i) => workspaces.create({ runId: 'r', task: task(`t${i}`), attempt: round, fromCommit: head })));
      expect(made).toHaveLength(8);
      await Promise.all(made.map((w) => workspaces.remove(w)));
    }
    expect((await git(['worktree', 'list', '--porcelain'], { cwd: repo })).stdout.match(/^worktree /gm)).toHaveLength(1);
  });

  it('repairs a worktree whose `git worktree add` was killed, and leaves the user\'s own half-made one alone', async () => {
    const dir = path.join(runWorktreesDir(path.join(repo, '.git'), 'r'), 't-1');
    mkdirSync(path.dirname(dir), { recursive: true });
    await killGitMidway(['worktree', 'add', '--force', '--quiet', '-B', 'baton-tasks/r/t', dir, head], repo, { gitDir: '*/worktrees/t-1', ref: 'ORIG_HEAD' });
    await killGitMidway(['worktree', 'add', '--quiet', path.join(base, 'mine'), head], repo, { gitDir: '*/worktrees/mine', ref: 'ORIG_HEAD' });
    expect(readFileSync(path.join(adminDir('t-1'), 'locked'), 'utf8').trim()).toBe('initializing');
    expect(readFileSync(path.join(adminDir('mine'), 'locked'), 'utf8').trim()).toBe('initializing');

    const repaired = await repairRunCheckouts(repo, 'r');
    expect(repaired.worktrees).toEqual([dir]);
    expect(existsSync(adminDir('t-1'))).toBe(false);
    expect(existsSync(dir)).toBe(false);
    expect(readFileSync(path.join(adminDir('mine'), 'locked'), 'utf8').trim()).toBe('initializing');
    // The same attempt can be made again, on the same task branch.
    const again = await gitWorkspaces({ repo }).create({ runId: 'r', task: task('t'), attempt: 1, fromCommit: head });
    expect(again.dir).toBe(dir);
    expect((await git(['worktree', 'list'], { cwd: repo })).exitCode).toBe(0);
  });

  it('recognises an entry git had not yet given a gitdir by the add it was making, and no other', async () => {
    const runDir = runWorktreesDir(path.join(repo, '.git'), 'r');
    mkdirSync(runDir, { recursive: true });
    // The state right after git made the entry and locked it, before it wrote anything else.
    for (const name of ['t-2', 'u-2']) {
      mkdirSync(adminDir(name), { recursive: true });
      writeFileSync(path.join(adminDir(name), 'locked'), 'initializing');
    }
    writeFileSync(path.join(runDir, '.adding'), path.join(runDir, 't-2'));
    await repairRunCheckouts(repo, 'r');
    expect(existsSync(adminDir('t-2'))).toBe(false);
    expect(existsSync(adminDir('u-2'))).toBe(true);
  });

  it('clears the run branch lock a killed cherry-pick left, never the user\'s locks', async () => {
    const integration = await addRunWorktree({ repo, runId: 'r', leaf: 'integration', start: { kind: 'branch', branch: 'baton/r' } });
    const work = await gitWorkspaces({ repo }).create({ runId: 'r', task: task('t'), attempt: 1, fromCommit: head });
    writeFileSync(path.join(work.dir, 'src', 'a.txt'), 'changed\n');
    const committed = await gitWorkspaces({ repo }).commit({ workspace: work, message: 'change' });
    await killGitMidway(['cherry-pick', '--no-edit', committed!.commit], integration, { gitDir: '*/worktrees/integration', ref: 'refs/heads/baton/r' });
    expect(existsSync(path.join(repo, '.git', 'refs', 'heads', 'baton', 'r.lock'))).toBe(true);
    writeFileSync(path.join(repo, '.git', 'index.lock'), '');

    const repaired = await repairRunCheckouts(repo, 'r');
    expect(repaired.locks).toEqual([path.join(repo, '.git', 'refs', 'heads', 'baton', 'r.lock')]);
    expect(existsSync(path.join(repo, '.git', 'index.lock'))).toBe(true);
    rmSync(path.join(repo, '.git', 'index.lock'));
    // The branch moves again: a fresh integration checkout takes the pick.
    const fresh = await addRunWorktree({ repo, runId: 'r', leaf: 'integration', start: { kind: 'branch', branch: 'baton/r' } });
    await git(['reset', '--hard', '--quiet', head], { cwd: fresh });
    await git(['cherry-pick', '--no-edit', committed!.commit], { cwd: fresh });
    expect(await gitOut(['show', 'baton/r:src/a.txt'], { cwd: repo })).toBe('changed');
  });

  it('after a run finished, removes its checkouts and task branches and keeps each task\'s commit reachable', async () => {
    const workspaces = gitWorkspaces({ repo });
    const work = await workspaces.create({ runId: 'r', task: task('t'), attempt: 1, fromCommit: head });
    writeFileSync(path.join(work.dir, 'src', 'a.txt'), 'changed\n');
    const committed = await workspaces.commit({ workspace: work, message: 'change' });
    await addRunWorktree({ repo, runId: 'r', leaf: 'integration', start: { kind: 'branch', branch: 'baton/r' } });

    const cleaned = await cleanUpFinishedRun({ repo, runId: 'r', taskCommits: { t: committed!.commit, gone: '0123456789012345678901234567890123456789' } });
    expect(cleaned.branches).toEqual(['refs/heads/baton-tasks/r/t']);
    expect(cleaned.worktrees).toHaveLength(2);
    expect(await gitOut(['for-each-ref', '--format=%(refname)'], { cwd: repo })).toBe(['refs/baton/r/tasks/t', 'refs/heads/baton/r', 'refs/heads/main'].join('\n'));
    expect(await gitOut(['rev-parse', 'refs/baton/r/tasks/t'], { cwd: repo })).toBe(committed!.commit);
    expect(existsSync(path.join(repo, '.git', 'worktrees'))).toBe(false);
    expect(existsSync(path.join(repo, '.git', 'baton', 'worktrees'))).toBe(false);
    // Again (a process killed while cleaning up is finished by the next): nothing left to do.
    expect(await cleanUpFinishedRun({ repo, runId: 'r', taskCommits: { t: committed!.commit } })).toEqual({ worktrees: [], locks: [], branches: [] });
  });
});

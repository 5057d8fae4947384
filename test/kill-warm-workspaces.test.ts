// Killed anywhere, resumed always, with warm worktrees: the crash test of kill-anywhere.test.ts
// on the same repository with `"workspace": {"warm": true}`. `baton run` (and the `baton resume`
// after it) is SIGKILLed while git makes a new warm slot, while a slot is taken again for a task
// (mid-checkout, its index lock held), while the worker edits and tests in a slot, after the
// commit, and before the cleanup after the run. Then `baton resume` finishes, and it must end as
// an uninterrupted run: the same tree on baton/<run>, each task done once, the user's checkout
// byte-identical, nothing left of the run — the warm slots detached, clean (nothing untracked or
// ignored), none marked dirty — and no process baton started still running.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, userStateFingerprint, type TestGitRepo } from './helpers/git-repo.ts';
import { loggedEvents, readStore, runAndKill, type KillCase } from './helpers/kill-run.ts';
import { survivorsAfter } from './helpers/processes.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
const RUN = 'warmcrash';
const TICKET = 'Add a farewell function and document it';
const models = ['--planner', `scripted:${path.join(fixture, 'planner.yaml')}`, '--worker', `scripted:${path.join(fixture, 'worker.yaml')}`, '--reviewer', `scripted:${path.join(fixture, 'reviewer.yaml')}`];
const repos: TestGitRepo[] = [];
let expectedTree: string;

const WARM = '*/worktrees/*-warm';
const CASES: KillCase[] = [
  { name: 'while git makes the first warm slot (git worktree add)', kills: [{ git: { command: 'worktree', gitDir: WARM, ref: 'HEAD', values: 'any' } }] },
  {
    name: "while a slot is taken for the first task (git checkout -B, mid-transaction)",
    kills: [{ git: { command: 'checkout', gitDir: WARM, ref: `refs/heads/baton-tasks/${RUN}/farewell`, values: 'any' }, whileFrozen: (repo) => expect(slotFiles(repo).some((f) => f.endsWith('.dirty'))).toBe(true) }],
  },
  { name: 'while the worker edits in its slot', kills: [{ event: (e) => e.type === 'file_written' && e.taskId === 'farewell' }] },
  { name: "while the worker's tests run in the slot's sandbox", kills: [{ process: (p, repo) => p.command.includes('bwrap') && p.command.includes(path.join(repo, '.git', 'baton', 'warm')) }] },
  { name: "after the worker's commit, before diff_recorded", kills: [{ pause: 'task.committed' }] },
  { name: "while the second task's slot is taken", kills: [{ git: { command: 'checkout', gitDir: WARM, ref: `refs/heads/baton-tasks/${RUN}/docs`, values: 'any' } }] },
  { name: 'after run_finished, before cleanup', kills: [{ pause: 'run.finished' }] },
  { name: 'mid-task, then the resume mid-task again', kills: [{ pause: 'task.committed' }, { event: (e) => e.type === 'file_written' && e.taskId === 'docs' }] },
];

function slotFiles(repo: string): string[] {
  const base = path.join(repo, '.git', 'baton', 'warm');
  return existsSync(base) ? readdirSync(base) : [];
}

function withWarmConfig(repo: string): void {
  const file = path.join(repo, 'baton.config.json');
  const config = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
  writeFileSync(file, JSON.stringify({ ...config, workspace: { warm: true } }));
  gitSync(repo, ['commit', '-q', '-am', 'warm worktrees']);
}

beforeAll(async () => {
  const reference = await makeGitRepo({ source: path.join(fixture, 'repo') });
  repos.push(reference);
  withWarmConfig(reference.dir);
  const run = await runBaton(['run', TICKET, '--repo', reference.dir, '--yes', '--run-id', RUN, ...models]);
  expect(run.code, run.stderr).toBe(0);
  expectedTree = gitSync(reference.dir, ['rev-parse', `baton/${RUN}^{tree}`]);
  expect(slotFiles(reference.dir).length).toBeGreaterThan(0);
});
afterAll(async () => {
  for (const repo of repos) await repo.cleanup();
});

describe('killed anywhere, resumed always, with warm worktrees', () => {
  it.each(CASES)('$name', async ({ kills }) => {
    const repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
    repos.push(repo);
    withWarmConfig(repo.dir);
    writeFileSync(path.join(repo.dir, 'untracked.txt'), 'mine\n');
    const before = await userStateFingerprint(repo.dir);

    await runAndKill(repo, ['run', TICKET, '--repo', repo.dir, '--yes', '--run-id', RUN, ...models], kills[0]!, RUN);
    for (const kill of kills.slice(1)) await runAndKill(repo, ['resume', RUN, '--repo', repo.dir, ...models], kill, RUN);
    const resumed = await runBaton(['resume', RUN, '--repo', repo.dir, ...models]);
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    expect(await survivorsAfter(repo.dir), 'processes outlived the run').toEqual([]);

    expect(gitSync(repo.dir, ['rev-parse', `baton/${RUN}^{tree}`])).toBe(expectedTree);
    expect(gitSync(repo.dir, ['log', '--format=%s', `main..baton/${RUN}`]).split('\n')).toEqual(['Document farewell() [docs]', 'Add farewell() [farewell]']);
    const log = await loggedEvents(repo.dir, RUN);
    for (const task of ['farewell', 'docs']) expect(log.filter((e) => e.type === 'task_status' && e.taskId === task && e.status === 'done'), task).toHaveLength(1);
    expect(await userStateFingerprint(repo.dir)).toBe(before);

    // What stays: the run branch, the keep-refs, the store, and warm slots that hold nothing of the run.
    const slots = slotFiles(repo.dir);
    expect(slots.filter((name) => !/^\d+-warm$/.test(name)), 'dirty markers or trash left').toEqual([]);
    const worktrees = gitSync(repo.dir, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree ')).map((l) => l.slice('worktree '.length));
    expect(worktrees.sort()).toEqual([repo.dir, ...slots.map((name) => path.join(repo.dir, '.git', 'baton', 'warm', name))].sort());
    for (const name of slots) {
      const slot = path.join(repo.dir, '.git', 'baton', 'warm', name);
      expect(gitSync(slot, ['status', '--porcelain', '--ignored', '--untracked-files=all']), name).toBe('');
      expect(gitSync(slot, ['rev-parse', '--symbolic-full-name', 'HEAD']), `${name} holds a branch`).toBe('HEAD');
    }
    expect(existsSync(path.join(repo.dir, '.git', 'baton', 'worktrees'))).toBe(false);
    expect(gitSync(repo.dir, ['for-each-ref', '--format=%(refname)']).split('\n')).toEqual([`refs/baton/${RUN}/tasks/docs`, `refs/baton/${RUN}/tasks/farewell`, `refs/heads/baton/${RUN}`, 'refs/heads/main']);
    expect(readdirSync(path.join(repo.dir, '.git'), { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.lock'))).toEqual([]);
    expect(readStore(repo.dir, (db) => db.prepare('SELECT run_id FROM run_locks').all(), [{ run_id: 'unreadable' }])).toEqual([]);
  });
});

// Killed anywhere, resumed always. `baton run` (and `baton resume`) is killed with SIGKILL of its
// whole process group at each step where a crash could hurt — while planning, while git adds a
// task's worktree, while git cherry-picks onto the run branch, while cleaning up after the run
// finished — and at points in between, each reached deterministically: a named pause point
// inside baton, a git frozen inside a ref transaction, or an event or a process the test waits
// for. Then `baton resume` finishes the run, and it must end exactly as an uninterrupted run:
// the same tree on baton/<run>; every task done once and each accepted change once in the
// history; the user's branch, index and working tree (with unstaged, staged and untracked
// changes) byte-identical; no worktree, lock or branch left beyond what the README says stays;
// and no process baton started still running, after each kill and at the end. Every case runs
// on both stores: the default SQLite file, and a PostgreSQL database of its own (one server for
// the file) given to every command with --store.
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { reduceRunEvents } from '@baton/orchestrator';
import { postgresUnavailable, startPostgresServer, type PostgresServer } from '@baton/orchestrator/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, userStateFingerprint, type TestGitRepo } from './helpers/git-repo.ts';
import { runAndKill, type KillCase } from './helpers/kill-run.ts';
import { survivorsAfter } from './helpers/processes.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';
import { postgresStore, sqliteStore, storeFile, type StoreUnderTest } from './helpers/store-under-test.ts';

const unavailable = postgresUnavailable();
if (unavailable && process.env['CI']) throw new Error(`the crash tests on PostgreSQL cannot run on CI: ${unavailable}`);

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
const RUN = 'crash';
const TICKET = 'Add a farewell function and document it';
const models = ['--planner', `scripted:${path.join(fixture, 'planner.yaml')}`, '--worker', `scripted:${path.join(fixture, 'worker.yaml')}`, '--reviewer', `scripted:${path.join(fixture, 'reviewer.yaml')}`];
const repos: TestGitRepo[] = [];
let expectedTree: string;
let expectedDecisions: string[];
let server: PostgresServer | undefined;
const opened: StoreUnderTest[] = [];

const adminDir = (repo: string, name: string) => path.join(repo, '.git', 'worktrees', name);

const CASES: KillCase[] = [
  { name: 'while planning (the planner not yet asked)', kills: [{ pause: 'plan.model' }] },
  { name: "after the planner's decisions are logged, before its plan is stored", kills: [{ pause: 'plan.decisions' }] },
  { name: 'after planning, before --yes approved the plan', kills: [{ pause: 'plan.proposed' }] },
  {
    name: "during the first task's git worktree add",
    kills: [{ git: { command: 'worktree', gitDir: '*/worktrees/farewell-1', ref: 'ORIG_HEAD' }, whileFrozen: (repo) => expect(readFileSync(path.join(adminDir(repo, 'farewell-1'), 'locked'), 'utf8').trim()).toBe('initializing') }],
  },
  { name: "after the task's worktree exists, before task_started is recorded", kills: [{ pause: 'task.workspace' }] },
  { name: 'while the worker edits', kills: [{ event: (e) => e.type === 'file_written' && e.taskId === 'farewell' }] },
  { name: "while the worker's tests run in their sandbox", kills: [{ process: (p, repo) => p.command.includes('bwrap') && p.command.includes(path.join(repo, '.git', 'baton', 'worktrees', RUN, 'farewell-1')) }] },
  { name: "after the worker's commit, before diff_recorded", kills: [{ pause: 'task.committed' }] },
  { name: 'after the review accepted, before the merge is recorded', kills: [{ event: (e) => e.type === 'review_decided' && e.taskId === 'farewell' && e.decision === 'accept' }] },
  {
    name: 'during the cherry-pick onto the run branch',
    kills: [{ git: { command: 'cherry-pick', gitDir: '*/worktrees/integration', ref: `refs/heads/baton/${RUN}` }, whileFrozen: (repo) => expect(existsSync(path.join(repo, '.git', 'refs', 'heads', 'baton', `${RUN}.lock`))).toBe(true) }],
  },
  {
    name: 'as the cherry-pick ends (packed-refs.lock held while CHERRY_PICK_HEAD is deleted)',
    kills: [{ git: { command: 'cherry-pick', gitDir: '*/worktrees/integration', ref: 'CHERRY_PICK_HEAD', values: 'deleted' }, whileFrozen: (repo) => expect(existsSync(path.join(repo, '.git', 'packed-refs.lock'))).toBe(true) }],
  },
  { name: 'after the merge, before its tests and merge_result', kills: [{ pause: 'integrate.merged' }] },
  { name: 'while the tests after the merge run in their sandbox', kills: [{ process: (p, repo) => p.command.includes('bwrap') && p.command.includes(path.join(repo, '.git', 'baton', 'worktrees', RUN, 'integration')) }] },
  { name: 'between the two tasks', kills: [{ event: (e) => e.type === 'task_status' && e.taskId === 'farewell' && e.status === 'done' }] },
  { name: "during the second task's git worktree add", kills: [{ git: { command: 'worktree', gitDir: '*/worktrees/docs-1', ref: 'ORIG_HEAD' } }] },
  { name: 'after run_finished, before cleanup', kills: [{ pause: 'run.finished' }] },
  { name: 'during cleanup, while the task branches are deleted', kills: [{ git: { command: 'update-ref', gitDir: '*', ref: `refs/heads/baton-tasks/${RUN}/farewell`, values: 'any' } }] },
  { name: 'while planning, then the resume after planning', kills: [{ pause: 'plan.model' }, { pause: 'plan.proposed' }] },
  { name: 'during the cherry-pick, then the resume after run_finished', kills: [{ git: { command: 'cherry-pick', gitDir: '*/worktrees/integration', ref: `refs/heads/baton/${RUN}` } }, { pause: 'run.finished' }] },
];

/** The run's decisions log as it stands, as `source: text` lines. */
async function decisionsOf(store: StoreUnderTest): Promise<string[]> {
  const state = reduceRunEvents(await store.events(RUN));
  return state.decisions.entries.map((e) => `${e.source}: ${e.text}`);
}

/** The store a case runs on: its repository's SQLite file, or a fresh PostgreSQL database. */
async function storeFor(kind: StoreUnderTest['kind'], repo: string): Promise<StoreUnderTest> {
  if (kind === 'sqlite') return sqliteStore(repo);
  if (!server) throw new Error('the PostgreSQL server did not start (see beforeAll)');
  const store = await postgresStore(await server.createDatabase());
  opened.push(store);
  return store;
}

beforeAll(async () => {
  const reference = await makeGitRepo({ source: path.join(fixture, 'repo') });
  repos.push(reference);
  const run = await runBaton(['run', TICKET, '--repo', reference.dir, '--yes', '--run-id', RUN, ...models]);
  expect(run.code, run.stderr).toBe(0);
  expectedTree = gitSync(reference.dir, ['rev-parse', `baton/${RUN}^{tree}`]);
  expectedDecisions = await decisionsOf(sqliteStore(reference.dir));
  expect(expectedDecisions).toEqual(['planner: farewell(name) lives in src/greet.js beside greet(name), exported the same way']);
  if (!unavailable) server = await startPostgresServer();
});
afterEach(async () => {
  while (opened.length > 0) await opened.pop()!.close();
});
afterAll(async () => {
  await server?.close();
  for (const repo of repos) await repo.cleanup();
});

for (const kind of ['sqlite', 'postgres'] as const) {
  const skip = kind === 'postgres' ? unavailable : undefined;
  describe.skipIf(skip !== undefined)(`killed anywhere, resumed always, on ${kind}${skip ? ` (skipped: ${skip})` : ''}`, () => {
    it.each(CASES)('$name', async ({ kills }) => {
      const repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
      repos.push(repo);
      const store = await storeFor(kind, repo.dir);
      // The user is in the middle of something: unstaged, staged and untracked changes.
      writeFileSync(path.join(repo.dir, 'README.md'), `${readFileSync(path.join(repo.dir, 'README.md'), 'utf8')}\nunstaged note\n`);
      writeFileSync(path.join(repo.dir, 'src', 'greet.js'), `${readFileSync(path.join(repo.dir, 'src', 'greet.js'), 'utf8')}// staged\n`);
      gitSync(repo.dir, ['add', 'src/greet.js']);
      writeFileSync(path.join(repo.dir, 'untracked.txt'), 'mine\n');
      const before = await userStateFingerprint(repo.dir);

      await runAndKill(repo, ['run', TICKET, '--repo', repo.dir, ...store.args, '--yes', '--run-id', RUN, ...models], kills[0]!, RUN, store);
      for (const kill of kills.slice(1)) await runAndKill(repo, ['resume', RUN, '--repo', repo.dir, ...store.args, ...models], kill, RUN, store);
      const resumed = await runBaton(['resume', RUN, '--repo', repo.dir, ...store.args, ...models]);
      expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
      expect(await survivorsAfter(repo.dir), 'processes outlived the run').toEqual([]);

      // The same result as an uninterrupted run, each task done once, each change once in the history.
      expect(gitSync(repo.dir, ['rev-parse', `baton/${RUN}^{tree}`])).toBe(expectedTree);
      expect(gitSync(repo.dir, ['log', '--format=%s', `main..baton/${RUN}`]).split('\n')).toEqual(['Document farewell() [docs]', 'Add farewell() [farewell]']);
      const log = await store.events(RUN);
      for (const task of ['farewell', 'docs']) expect(log.filter((e) => e.type === 'task_status' && e.taskId === task && e.status === 'done'), task).toHaveLength(1);
      expect(log.at(-1)?.type === 'run_finished' || log.some((e) => e.type === 'run_finished')).toBe(true);
      // The planner's decisions logged once, however often the run was planned.
      expect(await decisionsOf(store)).toEqual(expectedDecisions);

      // The user's branch, index and working tree as they were.
      expect(await userStateFingerprint(repo.dir)).toBe(before);
      expect(gitSync(repo.dir, ['symbolic-ref', 'HEAD'])).toBe('refs/heads/main');

      // Nothing left but what stays: the run branch, the task keep-refs, the store.
      expect(gitSync(repo.dir, ['worktree', 'list', '--porcelain']).split('\n').filter((l) => l.startsWith('worktree '))).toEqual([`worktree ${repo.dir}`]);
      expect(existsSync(path.join(repo.dir, '.git', 'worktrees'))).toBe(false);
      expect(existsSync(path.join(repo.dir, '.git', 'baton', 'worktrees'))).toBe(false);
      expect(gitSync(repo.dir, ['for-each-ref', '--format=%(refname)']).split('\n')).toEqual([`refs/baton/${RUN}/tasks/docs`, `refs/baton/${RUN}/tasks/farewell`, `refs/heads/baton/${RUN}`, 'refs/heads/main']);
      expect(locksUnder(path.join(repo.dir, '.git'))).toEqual([]);
      expect(await store.lockedRuns()).toEqual([]);
      // A run on PostgreSQL keeps nothing of its state in the repository.
      if (kind === 'postgres') expect(existsSync(storeFile(repo.dir))).toBe(false);
    });
  });
}

function locksUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.lock'));
}

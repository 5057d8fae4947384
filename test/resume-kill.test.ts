// Crash safety for real: `baton run` is killed with SIGKILL at several points of a run (while
// planning is recorded, while workers edit, during review and merge), then `baton resume`
// finishes it. The run branch must end with the same tree as an uninterrupted run, finished
// tasks must not run again, and the user's checkout must be untouched.
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { loadScript } from '@baton/worker-host';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, userStateFingerprint, type TestGitRepo } from './helpers/git-repo.ts';
import { BATON_BIN, REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
const repos: TestGitRepo[] = [];
let slowWorker: string;
let expectedTree: string;

const models = (worker: string) => ['--planner', `scripted:${path.join(fixture, 'planner.yaml')}`, '--worker', `scripted:${worker}`, '--reviewer', `scripted:${path.join(fixture, 'reviewer.yaml')}`];

beforeAll(async () => {
  // The fixture's worker script with model latency, so there is time to kill it mid-task.
  const script = (await loadScript(path.join(fixture, 'worker.yaml'))) as { by_task: Record<string, Record<string, unknown>[]> };
  for (const turns of Object.values(script.by_task)) for (const turn of turns) turn['delay_ms'] = 120;
  const base = await makeGitRepo({ source: path.join(fixture, 'repo') });
  repos.push(base);
  slowWorker = path.join(base.dir, '..', 'slow-worker.json');
  await writeFile(slowWorker, JSON.stringify(script));
  const run = await runBaton(['run', 'Add a farewell function and document it', '--repo', base.dir, '--yes', '--run-id', 'whole', ...models(slowWorker)]);
  expect(run.code, run.stderr).toBe(0);
  expectedTree = gitSync(base.dir, ['rev-parse', 'baton/whole^{tree}']);
});
afterAll(async () => {
  for (const repo of repos) await repo.cleanup();
});

function eventCount(repoDir: string): number {
  try {
    const db = new DatabaseSync(path.join(repoDir, '.git', 'baton', 'state.db'), { readOnly: true });
    try {
      return (db.prepare("SELECT COUNT(*) AS n FROM events WHERE run_id = 'crash'").get() as { n: number }).n;
    } finally {
      db.close();
    }
  } catch {
    return 0;
  }
}

/** Starts a run and SIGKILLs it once its log has at least `events` events. */
async function runAndKill(repoDir: string, events: number): Promise<{ killedAt: number; exited: 'killed' | 'finished' }> {
  const child = spawn(process.execPath, [BATON_BIN, 'run', 'Add a farewell function and document it', '--repo', repoDir, '--yes', '--run-id', 'crash', ...models(slowWorker)], {
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', NO_COLOR: '1' },
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let finished = false;
  void exited.then(() => (finished = true));
  // Polls the store with a deadline: the run is another process, so its progress is read back.
  const deadline = Date.now() + 60_000;
  while (!finished && eventCount(repoDir) < events && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
  const killedAt = eventCount(repoDir);
  if (finished) return { killedAt, exited: 'finished' };
  child.kill('SIGKILL');
  await exited;
  return { killedAt, exited: 'killed' };
}

describe('kill -9 and resume', () => {
  it.each([2, 3, 8, 14, 20, 27, 33])('resumes a run killed after %i events to the same branch', async (events) => {
    const repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
    repos.push(repo);
    const before = await userStateFingerprint(repo.dir);
    const killed = await runAndKill(repo.dir, events);
    expect(killed.exited, `the run finished before ${events} events`).toBe('killed');

    // Whether it was killed while planning, before --yes approved the plan or later, resume finishes it.
    const resumed = await runBaton(['resume', 'crash', '--repo', repo.dir, ...models(slowWorker)]);
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    expect(gitSync(repo.dir, ['rev-parse', 'baton/crash^{tree}'])).toBe(expectedTree);
    expect(gitSync(repo.dir, ['rev-list', '--count', 'main..baton/crash'])).toBe('2');
    expect(await userStateFingerprint(repo.dir)).toBe(before);

    const log = (await runBaton(['log', 'crash', '--json', '--repo', repo.dir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; taskId?: string; status?: string });
    // A task that was done before the kill is never started again.
    const doneBeforeKill = new Set(log.slice(0, killed.killedAt).filter((e) => e.type === 'task_status' && e.status === 'done').map((e) => e.taskId));
    const resumedAt = log.findIndex((e) => e.type === 'run_resumed');
    expect(resumedAt).toBeGreaterThan(0);
    for (const id of doneBeforeKill) expect(log.slice(resumedAt).some((e) => e.type === 'task_started' && e.taskId === id)).toBe(false);
    expect(gitSync(repo.dir, ['worktree', 'list']).split('\n')).toHaveLength(1);
  });
});

// The inspection and decision commands through the real `baton` binary, against a run
// recorded in a temp repository's store: status, log, diff, escalations, decide, approve.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makePlan, openRepoStore } from '@baton/orchestrator';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { runBaton } from './helpers/run-cli.ts';

let repo: TestGitRepo;
let base: string;
let taskCommit: string;

beforeAll(async () => {
  repo = await makeGitRepo({ files: { 'src/users.ts': 'export const users = [];\n' } });
  base = gitSync(repo.dir, ['rev-parse', 'HEAD']);
  // A task commit on the run branch, as the engine would leave it, without touching main.
  gitSync(repo.dir, ['branch', 'baton/r1', base]);
  gitSync(repo.dir, ['worktree', 'add', '-q', `${repo.dir}/../wt`, 'baton/r1']);
  gitSync(`${repo.dir}/../wt`, ['rm', '-q', 'src/users.ts']);
  gitSync(`${repo.dir}/../wt`, ['commit', '-q', '-m', 'csv task']);
  taskCommit = gitSync(`${repo.dir}/../wt`, ['rev-parse', 'HEAD']);

  const store = await openRepoStore({ repoRoot: repo.dir });
  const writer = await store.createRun({ runId: 'r1', ticket: 'Add CSV export', workflow: 'feature', baseCommit: base, maxWorkers: 2 });
  const plan = makePlan([{ id: 'csv', write_scope: ['src/**'] }, { id: 'api', depends_on: ['csv'], needs_approval: true }], { ticket: 'Add CSV export' });
  await writer.approvePlan({ version: (await writer.proposePlan({ plan, source: 'proposed' })).version });
  await writer.append({ type: 'task_started', taskId: 'csv', attempt: 1 });
  await writer.append({ type: 'task_event', taskId: 'csv', attempt: 1, kind: 'model_call', usage: { inputTokens: 1200, outputTokens: 300 }, costUsd: 0.02 });
  await writer.append({ type: 'diff_recorded', taskId: 'csv', attempt: 1, commit: taskCommit, files: ['src/users.ts'] });
  await writer.append({ type: 'merge_result', taskId: 'csv', ok: true, commit: taskCommit, resolvedBy: 'clean' });
  await writer.append({ type: 'task_status', taskId: 'csv', status: 'done' });
  await writer.append({ type: 'escalation_raised', escalationId: 'csv-2', taskId: 'csv', reason: 'reviewer unsure about quoting', options: ['approve', 'retry'] });
  await writer.append({ type: 'run_finished', outcome: 'escalated', branch: 'baton/r1' });
  await writer.release();
  const second = await store.createRun({ runId: 'r2', ticket: 'Rename Customer', workflow: 'refactor', baseCommit: base, maxWorkers: 1 });
  await second.proposePlan({ plan: makePlan([{ id: 'rename' }], { ticket: 'Rename Customer', workflow: 'refactor' }), source: 'proposed' });
  await second.release();
  await store.close();
});

afterAll(async () => repo.cleanup());

describe('baton status / log / diff / escalations / decide / approve', () => {
  it('lists runs and shows one run as JSON', async () => {
    const all = await runBaton(['status', '--repo', repo.dir]);
    expect(all.code, all.stderr).toBe(0);
    expect(all.stdout).toContain('r1  escalated  1/2 tasks');
    const one = await runBaton(['status', 'r1', '--json', '--repo', repo.dir]);
    const json = JSON.parse(one.stdout) as { tasks: { id: string; status: string }[]; usage: { totalTokens: number; costUsd: number } };
    expect(json.tasks.map((t) => [t.id, t.status])).toEqual([['csv', 'done'], ['api', 'pending']]);
    expect(json.usage).toMatchObject({ totalTokens: 1500, costUsd: 0.02 });
  });

  it('prints the log, filtered by task, as text and JSON lines', async () => {
    const text = await runBaton(['log', 'r1', '--task', 'csv', '--repo', repo.dir]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('model_call 1200+300 tok');
    expect(text.stdout).not.toContain('run_created');
    const json = await runBaton(['log', 'r1', '--json', '--repo', repo.dir]);
    const types = json.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { type: string }).type);
    expect(types[0]).toBe('run_created');
    expect(types.at(-1)).toBe('run_finished');
  });

  it('shows the run diff and a task diff from git', async () => {
    const run = await runBaton(['diff', 'r1', '--stat', '--repo', repo.dir]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('src/users.ts');
    const task = await runBaton(['diff', 'r1', '--task', 'api', '--repo', repo.dir]);
    expect(task.code).toBe(2);
    expect(task.stderr).toContain('task api has no commit yet');
  });

  it('lists what waits for a human and records decisions as events', async () => {
    const pending = JSON.parse((await runBaton(['escalations', '--json', '--repo', repo.dir])).stdout) as { run: string; kind: string; id: string }[];
    expect(pending.map((p) => [p.run, p.kind, p.id]).sort()).toEqual([
      ['r1', 'escalation', 'csv-2'],
      ['r1', 'task_approval', 'api'],
      ['r2', 'plan_approval', 'plan-v1'],
    ]);
    const decided = await runBaton(['decide', 'r1', 'csv', 'rework', '--comment', 'quote commas', '--json', '--repo', repo.dir]);
    expect(decided.code, decided.stderr).toBe(0);
    expect(JSON.parse(decided.stdout)).toMatchObject({ type: 'human_decision', decision: 'retry', escalationId: 'csv-2', note: 'quote commas' });
    const again = await runBaton(['decide', 'r1', 'csv', 'accept', '--repo', repo.dir]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('nothing about csv waits');
    const bad = await runBaton(['decide', 'r1', 'api', 'maybe', '--repo', repo.dir]);
    expect(bad.code).toBe(2);
  });

  it('approves a plan once', async () => {
    const first = await runBaton(['approve', 'r2', '--json', '--repo', repo.dir]);
    expect(first.code, first.stderr).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({ run: 'r2', version: 1 });
    const second = await runBaton(['approve', 'r2', '--repo', repo.dir]);
    expect(second.code).toBe(2);
    expect(second.stderr).toContain('already approved');
  });

  it('explains a directory that is not a repository', async () => {
    const result = await runBaton(['status', '--repo', '/']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('not inside a git repository');
  });
});

// The phased-refactor and incident workflows end to end with scripted models (not live) on a
// copy of the example service: the refactor waits at its approval gate and finishes after a
// human approves; the incident run changes no files and leaves its findings for a human.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, userStateFingerprint, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const examples = path.join(REPO_ROOT, 'examples');
const repos: TestGitRepo[] = [];
const scripted = (workflow: string) => ['planner', 'worker', 'reviewer'].flatMap((role) => [`--${role}`, `scripted:${path.join(examples, 'scripts', workflow, `${role}.yaml`)}`]);
afterAll(async () => {
  for (const repo of repos) await repo.cleanup();
});

async function exampleRepo(): Promise<TestGitRepo> {
  const repo = await makeGitRepo({ source: path.join(examples, 'service') });
  repos.push(repo);
  return repo;
}

describe('phased refactor', () => {
  it('runs phase by phase, stops for approval of the external rename, and finishes after it', async () => {
    const repo = await exampleRepo();
    const before = await userStateFingerprint(repo.dir);
    const first = await runBaton(['run', '--ticket-file', path.join(examples, 'tickets', 'refactor-rename-customer.md'), '--workflow', 'refactor', '--repo', repo.dir, '--yes', '--run-id', 'ref', ...scripted('refactor')]);
    expect(first.code, `${first.stdout}\n${first.stderr}`).toBe(3);
    const waiting = JSON.parse((await runBaton(['status', 'ref', '--json', '--repo', repo.dir])).stdout) as { tasks: { id: string; status: string }[] };
    expect(waiting.tasks.map((t) => [t.id, t.status])).toEqual([['rename-domain', 'done'], ['rename-table', 'done'], ['rename-api', 'pending']]);
    const log = (await runBaton(['log', 'ref', '--json', '--repo', repo.dir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; phase?: number; passed?: boolean; taskId?: string });
    const gate1 = log.findIndex((e) => e.type === 'gate_result' && e.phase === 1 && e.passed);
    const phase2Start = log.findIndex((e) => e.type === 'task_started' && e.taskId === 'rename-table');
    expect(gate1).toBeGreaterThan(0);
    expect(phase2Start).toBeGreaterThan(gate1);
    const pending = JSON.parse((await runBaton(['escalations', '--json', '--repo', repo.dir])).stdout) as { kind: string; id: string }[];
    expect(pending).toEqual([expect.objectContaining({ kind: 'task_approval', id: 'rename-api' })]);

    expect((await runBaton(['decide', 'ref', 'rename-api', 'accept', '--comment', 'external rename approved', '--repo', repo.dir])).code).toBe(0);
    const resumed = await runBaton(['resume', 'ref', '--repo', repo.dir, ...scripted('refactor')]);
    expect(resumed.code, `${resumed.stdout}\n${resumed.stderr}`).toBe(0);
    expect(gitSync(repo.dir, ['rev-list', '--count', 'main..baton/ref'])).toBe('3');
    expect(await userStateFingerprint(repo.dir)).toBe(before);
    const checkout = path.join(repo.dir, '..', 'verify');
    gitSync(repo.dir, ['worktree', 'add', '-q', checkout, 'baton/ref']);
    const tests = spawnSync(process.execPath, ['--test'], { cwd: checkout, encoding: 'utf8' });
    expect(tests.status, tests.stdout).toBe(0);
  });
});

describe('incident response', () => {
  it('analyses in parallel without changing a file and leaves the proposed fix for a human', async () => {
    const repo = await exampleRepo();
    const before = await userStateFingerprint(repo.dir);
    const run = await runBaton(['run', '--ticket-file', path.join(examples, 'tickets', 'incident-signup-dates.md'), '--workflow', 'incident', '--repo', repo.dir, '--yes', '--run-id', 'inc', ...scripted('incident')]);
    expect(run.code, `${run.stdout}\n${run.stderr}`).toBe(0);
    expect(gitSync(repo.dir, ['rev-list', '--count', 'main..baton/inc'])).toBe('0');
    expect(await userStateFingerprint(repo.dir)).toBe(before);
    const log = (await runBaton(['log', 'inc', '--json', '--repo', repo.dir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; taskId?: string; detail?: string; findings?: string; decision?: string });
    expect(log.some((e) => e.type === 'file_written' || e.type === 'diff_recorded')).toBe(false);
    const started = log.filter((e) => e.type === 'task_started').map((e) => e.taskId);
    expect(started.slice(0, 2).sort()).toEqual(['code-inspection', 'log-analysis']);
    // Each task's findings were reviewed before they counted.
    const proposal = log.find((e) => e.type === 'findings_reported' && e.taskId === 'propose-fix');
    expect(proposal?.findings).toContain('Candidate fix');
    expect(log.filter((e) => e.type === 'review_decided').map((e) => [e.taskId, e.decision]).sort()).toEqual([['code-inspection', 'accept'], ['log-analysis', 'accept'], ['propose-fix', 'accept']]);
    expect(log.some((e) => e.type === 'file_read' && e.taskId === 'code-inspection')).toBe(true);
  });
});

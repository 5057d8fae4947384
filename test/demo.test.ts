// `baton demo`, the README's first command, through the real binary: the feature ticket on a
// copy of the example service with scripted models, ending with a run branch whose tests pass.
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitSync } from './helpers/git-repo.ts';
import { runBaton, type CliResult } from './helpers/run-cli.ts';

let base: string;
let dir: string;
let result: CliResult;

beforeAll(async () => {
  base = await mkdtemp(path.join(tmpdir(), 'baton-demo-test-'));
  dir = path.join(base, 'service');
  result = await runBaton(['demo', '--dir', dir, '--json']);
});
afterAll(() => rm(base, { recursive: true, force: true }));

describe('baton demo', () => {
  it('runs the feature workflow to a succeeded run and says the models are scripted', () => {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stderr).toContain('SCRIPTED');
    const state = JSON.parse(result.stdout) as { outcome: string; tasks: { id: string; status: string }[]; branch: string };
    expect(state.outcome).toBe('succeeded');
    expect(state.tasks.map((t) => [t.id, t.status])).toEqual([
      ['discover', 'done'],
      ['csv-serializer', 'done'],
      ['api-docs', 'done'],
      ['csv-endpoint', 'done'],
    ]);
  });

  it('reports the run\'s pilot metrics as JSON and CSV', async () => {
    const report = JSON.parse((await runBaton(['report', '--json', '--repo', dir])).stdout) as { runs: { tasks: { done: number }; testsRun: number; testsFailed: number; reworks: number; byRole: Record<string, unknown> }[]; overall: { runs: number; succeeded: number } };
    expect(report.overall).toMatchObject({ runs: 1, succeeded: 1 });
    expect(report.runs[0]).toMatchObject({ tasks: { done: 4 }, testsFailed: 0, reworks: 0 });
    expect(report.runs[0]!.testsRun).toBeGreaterThanOrEqual(5);
    expect(Object.keys(report.runs[0]!.byRole).sort()).toEqual(['analysis', 'docs', 'implementation', 'planner', 'reviewer']);
    const csv = (await runBaton(['report', '--csv', '--repo', dir])).stdout.trim().split('\r\n');
    expect(csv).toHaveLength(2);
  });

  it('leaves main as imported and a run branch whose tests pass', () => {
    const state = JSON.parse(result.stdout) as { branch: string };
    expect(gitSync(dir, ['rev-list', '--count', 'main'])).toBe('1');
    expect(gitSync(dir, ['status', '--porcelain'])).toBe('');
    expect(gitSync(dir, ['rev-list', '--count', `main..${state.branch}`])).toBe('3');
    const checkout = path.join(base, 'verify');
    gitSync(dir, ['worktree', 'add', '-q', checkout, state.branch]);
    const tests = spawnSync(process.execPath, ['--test'], { cwd: checkout, encoding: 'utf8' });
    expect(tests.status, tests.stdout).toBe(0);
    expect(tests.stdout).toMatch(/(#|ℹ) pass 16/);
  });
});

// Run-wide budgets hold with parallel workers: three tasks run at once through the live
// adapters against a fake provider whose workers never finish (every call asks for another
// tool call, 1,000 + 100 tokens each), so only the budget stops them. The recorded total stays
// within one model call of the budget, and the run ends budget_exhausted (exit 4). The
// wall-time budget is held the same way by the same mechanism; its test runs on an injected
// clock (packages/orchestrator/src/run/run-engine.test.ts), since real time has no place in a test.
import { startFakeProvider, type FakeProvider, type FakeStep, type RecordedRequest } from '@baton/worker-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { runBaton } from './helpers/run-cli.ts';

const usage = { input: 1000, output: 100 };
const task = (id: string) => ({ id, title: `Write ${id}`, type: 'implementation', depends_on: [], brief: `Write ${id}/notes.md.`, read_scope: ['**'], write_scope: [`${id}/**`], tests: [], acceptance: [`${id}/notes.md exists`] });
const plan = { ticket: 't', summary: 'Three independent notes.', workflow: 'feature', tasks: [task('a'), task('b'), task('c')] };

/** The planner plans three independent tasks; every worker call asks to read a file again, forever. */
const answer = (request: RecordedRequest): FakeStep =>
  request.path === '/v1/messages'
    ? { turn: { toolCalls: [{ name: 'submit_plan', arguments: plan }], usage } }
    : { turn: { toolCalls: [{ name: 'read_file', arguments: { path: 'README.md' } }], usage } };

let fake: FakeProvider;
const repos: TestGitRepo[] = [];
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.close();
  for (const repo of repos) await repo.cleanup();
});

async function budgetedRun(runId: string, budgetFlags: string[]): Promise<{ code: number | null; totalTokens: number; costUsd: number; started: string[]; output: string }> {
  const repo = await makeGitRepo({
    files: {
      'README.md': '# notes\n',
      // The worker model's price, so its calls cost money (3 and 15 USD per million tokens).
      'baton.config.json': JSON.stringify({ prices: { 'openai-compatible:fake-worker': { input: 3, output: 15 } }, budgets: { perTaskTokens: 10_000_000, perTaskTurns: 1000 } }),
    },
  });
  repos.push(repo);
  fake.push(...Array.from({ length: 200 }, () => answer));
  const result = await runBaton(['run', 'Write three notes', '--repo', repo.dir, '--yes', '--run-id', runId, '--max-workers', '3', ...budgetFlags, '--planner', 'anthropic:claude-opus-4-6', '--worker', 'openai-compatible:fake-worker', '--reviewer', 'anthropic:claude-opus-4-6'], {
    env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, OPENAI_BASE_URL: `${fake.url}/v1` },
  });
  const status = JSON.parse((await runBaton(['status', runId, '--json', '--repo', repo.dir])).stdout) as { usage: { totalTokens: number; costUsd: number } };
  const log = (await runBaton(['log', runId, '--json', '--repo', repo.dir])).stdout.trim().split('\n').map((l) => JSON.parse(l) as { type: string; taskId?: string });
  return { code: result.code, ...status.usage, started: [...new Set(log.filter((e) => e.type === 'task_started').map((e) => e.taskId!))].sort(), output: `${result.stdout}\n${result.stderr}` };
}

describe('run budgets with parallel workers', () => {
  it('holds the token budget to within one call (4,950 tokens, 1,100 a call)', async () => {
    const run = await budgetedRun('tokens', ['--budget-tokens', '4950']);
    expect(run.code, run.output).toBe(4);
    expect(run.started).toEqual(['a', 'b', 'c']);
    expect(run.totalTokens).toBeGreaterThanOrEqual(4950);
    expect(run.totalTokens).toBeLessThanOrEqual(4950 + 1100);
  });

  it('holds the cost budget to within one call ($0.028; the planner\'s call costs $0.0075, a worker\'s $0.0045)', async () => {
    const run = await budgetedRun('cost', ['--budget-usd', '0.028']);
    expect(run.code, run.output).toBe(4);
    expect(run.started).toEqual(['a', 'b', 'c']);
    expect(run.costUsd).toBeGreaterThanOrEqual(0.028);
    expect(run.costUsd).toBeLessThanOrEqual(0.028 + 0.0075);
  });
});

// baton run with the live model adapters — Anthropic for planning, an OpenAI-compatible server
// (Chat Completions) for workers, OpenAI Responses for review — against a local fake provider
// that speaks their real wire formats, so the vendor SDKs run end to end without keys. The fake
// answers what the greeter fixture's scripts say, in order (one worker at a time).
import path from 'node:path';
import { loadScript } from '@baton/worker-host';
import { startFakeProvider, type FakeProvider, type FakeStep } from '@baton/worker-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton } from './helpers/run-cli.ts';

const fixture = path.join(REPO_ROOT, 'test', 'fixtures', 'greeter');
let fake: FakeProvider;
let repo: TestGitRepo;

type Turn = { text?: string; tool_calls?: { name: string; arguments: unknown }[] };
const step = (turn: Turn): FakeStep => ({ turn: { text: turn.text ?? '', toolCalls: (turn.tool_calls ?? []).map((c) => ({ name: c.name, arguments: c.arguments })), usage: { input: 1000, output: 100 } } });

beforeAll(async () => {
  fake = await startFakeProvider();
  repo = await makeGitRepo({ source: path.join(fixture, 'repo') });
  const planner = (await loadScript(path.join(fixture, 'planner.yaml'))) as { turns: Turn[] };
  const worker = (await loadScript(path.join(fixture, 'worker.yaml'))) as { by_task: Record<string, Turn[]> };
  const reviewer = (await loadScript(path.join(fixture, 'reviewer.yaml'))) as { turns: Turn[] };
  fake.push(
    { fail: { status: 429, retryAfterSeconds: 0 } },
    ...planner.turns.map(step),
    { fail: { status: 500 } },
    ...worker.by_task['farewell']!.map(step),
    ...reviewer.turns.map(step),
    ...worker.by_task['docs']!.map(step),
    ...reviewer.turns.map(step),
  );
});
afterAll(async () => {
  await fake.close();
  await repo.cleanup();
});

describe('baton run with live adapters against a fake provider', () => {
  it('plans, works and reviews through the Anthropic, Chat Completions and Responses adapters', async () => {
    const result = await runBaton(
      ['run', 'Add a farewell function and document it', '--repo', repo.dir, '--yes', '--run-id', 'live', '--max-workers', '1', '--planner', 'anthropic:claude-opus-4-6', '--worker', 'openai-compatible:qwen3-coder', '--reviewer', 'openai:gpt-5.3-codex'],
      { env: { ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: fake.url, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${fake.url}/v1` } },
    );
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stdout).not.toContain('SCRIPTED');
    expect(gitSync(repo.dir, ['rev-list', '--count', 'main..baton/live'])).toBe('2');
    const paths = fake.requests.map((r) => r.path);
    expect(paths.filter((p) => p === '/v1/messages')).toHaveLength(2); // one 429, then the plan
    expect(paths.filter((p) => p === '/v1/chat/completions').length).toBe(7); // a 500, then 4 + 2 worker turns
    expect(paths.filter((p) => p === '/v1/responses')).toHaveLength(2);
    const status = JSON.parse((await runBaton(['status', 'live', '--json', '--repo', repo.dir])).stdout) as { usage: { totalTokens: number; costUsd: number } };
    expect(status.usage.totalTokens).toBe(9 * 1100);
    expect(status.usage.costUsd).toBeGreaterThan(0);
  });
});

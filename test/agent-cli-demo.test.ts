// The demo ticket end to end through the real `baton` binary, once with `claude-code:` workers and
// once with `codex:` workers: the scripted planner and reviewer of `baton demo`, and the real
// Claude Code / Codex binaries as workers against baton's fake provider, which answers each
// task's conversation from the demo's worker script. The run must succeed as the scripted demo
// does, and `baton log` must show the CLI workers' model turns and tool calls like a native
// worker's.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { loadScript, type AgentCliName } from '@baton/worker-host';
import { scriptedConversation, startFakeProvider, type FakeProvider, type FakeStep, type FakeTurn } from '@baton/worker-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliTurns, type ScriptTurn } from './helpers/agent-cli-script.ts';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT, runBaton, type CliResult } from './helpers/run-cli.ts';

const EXAMPLES = path.join(REPO_ROOT, 'examples');
const SCRIPTS = path.join(EXAMPLES, 'scripts', 'feature');
const MODELS: Record<AgentCliName, string> = { 'claude-code': 'claude-haiku-4-5', codex: 'gpt-5.3-codex' };

describe.each(['claude-code', 'codex'] as const)('the demo ticket with %s workers', (cli) => {
  let fake: FakeProvider;
  let repo: TestGitRepo;
  let result: CliResult;

  beforeAll(async () => {
    fake = await startFakeProvider();
    const worker = (await loadScript(path.join(SCRIPTS, 'worker.yaml'))) as { by_task: Record<string, ScriptTurn[]> };
    const conversations = new Map<string, (request: Parameters<ReturnType<typeof scriptedConversation>>[0]) => FakeStep | undefined>();
    for (const [task, turns] of Object.entries(worker.by_task)) conversations.set(task, scriptedConversation(cliTurns(cli, turns) as FakeTurn[]));
    // Each request carries its task's brief ("# Task <id>: ..."): answer from that task's script.
    fake.answer((request) => {
      const task = /# Task ([A-Za-z0-9._-]+):/.exec(JSON.stringify(request.body))?.[1];
      return task ? conversations.get(task)?.(request) : undefined;
    });
    repo = await makeGitRepo({ source: path.join(EXAMPLES, 'service') });
    result = await runBaton(
      ['run', '--ticket-file', path.join(EXAMPLES, 'tickets', 'feature-csv-export.md'), '--repo', repo.dir, '--yes', '--json', '--run-id', 'cli', '--max-workers', '2',
        '--planner', `scripted:${path.join(SCRIPTS, 'planner.yaml')}`, '--reviewer', `scripted:${path.join(SCRIPTS, 'reviewer.yaml')}`, '--worker', `${cli}:${MODELS[cli]}`],
      { env: { ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-oai-test', OPENAI_BASE_URL: `${fake.url}/v1` } },
    );
  }, 300_000);
  afterAll(async () => {
    await fake.close();
    await repo.cleanup();
  });

  it('runs every task to done and merges a run branch whose tests pass', () => {
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    expect(result.stderr).toContain(`worker ${cli}:${MODELS[cli]} (${cli === 'claude-code' ? 'Claude Code 2.1.332 from @anthropic-ai/claude-code' : 'Codex CLI 0.171.0 from @openai/codex'})`);
    const state = JSON.parse(result.stdout) as { outcome: string; tasks: { id: string; status: string }[] };
    expect(state.outcome).toBe('succeeded');
    expect(state.tasks.map((t) => [t.id, t.status])).toEqual([['discover', 'done'], ['csv-serializer', 'done'], ['api-docs', 'done'], ['csv-endpoint', 'done']]);
    expect(gitSync(repo.dir, ['rev-list', '--count', 'main..baton/cli'])).toBe('3');
    const checkout = path.join(path.dirname(repo.dir), 'verify');
    gitSync(repo.dir, ['worktree', 'add', '-q', checkout, 'baton/cli']);
    const tests = spawnSync(process.execPath, ['--test'], { cwd: checkout, encoding: 'utf8' });
    expect(tests.status, tests.stdout).toBe(0);
    expect(fake.requests.every((r) => r.path === (cli === 'claude-code' ? '/v1/messages' : '/v1/responses'))).toBe(true);
  });

  it('records the CLI workers\' model turns, tool calls and summaries as baton log shows them', async () => {
    const log = await runBaton(['log', 'cli', '--json', '--repo', repo.dir]);
    const events = log.stdout.trim().split('\n').map((line) => JSON.parse(line) as { type: string; taskId?: string; kind?: string; name?: string; model?: string; usage?: { inputTokens: number }; costUsd?: number; detail?: string });
    const forTask = (task: string) => events.filter((e) => e.type === 'task_event' && e.taskId === task);
    const endpoint = forTask('csv-endpoint');
    // (The scripted reviewer's call is recorded with the task too.)
    const calls = endpoint.filter((e) => e.kind === 'model_call' && e.model?.startsWith(`${cli}:`));
    expect(calls).toHaveLength(4);
    for (const call of calls) expect(call).toMatchObject({ model: `${cli}:${MODELS[cli]}`, usage: { inputTokens: 1000 } });
    expect(calls.every((c) => (c.costUsd ?? 0) > 0)).toBe(true);
    expect(endpoint.filter((e) => e.kind === 'tool_call').map((e) => e.name)).toEqual(['read_file', 'read_file', 'apply_diff', 'run_tests']);
    expect(endpoint.find((e) => e.kind === 'message' && e.name === 'agent_cli')?.detail).toMatch(cli === 'claude-code' ? /^Claude Code 2\.1\.332 started/ : /^Codex CLI 0\.171\.0 started/);
    expect(endpoint.find((e) => e.kind === 'message' && e.name === undefined)?.detail).toMatch(/^GET \/admin\/users\.csv now returns/);
    expect(events.filter((e) => e.type === 'file_written' && e.taskId === 'csv-endpoint').map((e) => (e as { path?: string }).path).sort()).toEqual(['src/http/router.ts', 'src/http/users-handler.ts', 'test/users-csv.test.ts']);
    const text = await runBaton(['log', 'cli', '--task', 'csv-endpoint', '--repo', repo.dir]);
    expect(text.stdout).toMatch(new RegExp(`task_event csv-endpoint model_call 1000\\+100 tok`));
    expect(text.stdout).toContain('task_event csv-endpoint tool_call apply_diff');
  });
});

describe('an agent CLI worker that cannot start', () => {
  let repo: TestGitRepo;
  beforeAll(async () => {
    repo = await makeGitRepo({ source: path.join(REPO_ROOT, 'test', 'fixtures', 'greeter', 'repo') });
  });
  afterAll(() => repo.cleanup());

  const run = (worker: string, env: Record<string, string>) =>
    runBaton(['run', 'Add a farewell function', '--repo', repo.dir, '--yes', '--planner', `scripted:${path.join(REPO_ROOT, 'test', 'fixtures', 'greeter', 'planner.yaml')}`, '--reviewer', `scripted:${path.join(REPO_ROOT, 'test', 'fixtures', 'greeter', 'reviewer.yaml')}`, '--worker', worker], { env });

  it('is a usage error that says what to install or set, before any run, branch or workspace exists', async () => {
    const missing = await run('codex:gpt-5.3-codex', { OPENAI_API_KEY: 'sk-test', BATON_CODEX_BIN: path.join(repo.dir, 'no-such-codex') });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/BATON_CODEX_BIN=.*no-such-codex is not an executable file; point it at the codex binary of Codex CLI, or unset it to use @openai\/codex/);
    const keyless = await run('claude-code:claude-haiku-4-5', {});
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain('claude-code:claude-haiku-4-5 needs one of ANTHROPIC_API_KEY, ANTHROPIC_AUTH_TOKEN, CLAUDE_CODE_OAUTH_TOKEN in the environment');
    const asPlanner = await runBaton(['plan', 'x', '--repo', repo.dir, '--planner', 'claude-code:claude-opus-4-6'], { env: { ANTHROPIC_API_KEY: 'sk-test' } });
    expect(asPlanner.code).toBe(2);
    expect(asPlanner.stderr).toContain('claude-code:claude-opus-4-6 can only run workers');
    // Nothing was started: no run, no run branch, no task worktree.
    expect(JSON.parse((await runBaton(['status', '--json', '--repo', repo.dir])).stdout)).toEqual([]);
    expect(gitSync(repo.dir, ['branch', '--list', 'baton*'])).toBe('');
    expect(gitSync(repo.dir, ['worktree', 'list']).split('\n')).toHaveLength(1);
  });
});

// Claude Code and Codex as workers, with the real binaries, offline: each runs headless in a
// task workspace against baton's fake provider, reaching the repository only through a baton
// tool host holding the task's grant. A scripted conversation reads, searches, applies a diff
// and runs the tests through baton's tools and tries the CLI's own shell, write and edit tools,
// which its configuration refuses. Checked: the files on disk, the audit, the metered events,
// the environment the CLI got, and budgets that stop the CLI's whole process group.
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startHttpToolHost, type HttpToolHost, type ToolCallRecord } from '@baton/mcp-tools';
import { createRunBudget, locateAgentCli, runAgentCli, type AgentCliEvent, type AgentCliName, type AgentCliOutcome, type RunBudget, type WorkerBudget } from '@baton/worker-host';
import { scriptedConversation, startFakeProvider, type FakeProvider } from '@baton/worker-host/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cliTurns, type ScriptTurn } from './helpers/agent-cli-script.ts';
import { gitSync, makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { REPO_ROOT } from './helpers/run-cli.ts';

const MODELS: Record<AgentCliName, string> = { 'claude-code': 'claude-haiku-4-5', codex: 'gpt-5.3-codex' };
const GRANTED = ['read_file', 'list_files', 'search', 'apply_diff', 'run_tests'];
const LEAKS = { BATON_ADMIN_TOKEN: 'do-not-leak-admin', AWS_SECRET_ACCESS_KEY: 'do-not-leak-aws', GITHUB_TOKEN: 'do-not-leak-github' };

const FAREWELL_DIFF = [
  '--- a/src/greet.js',
  '+++ b/src/greet.js',
  '@@ -1,3 +1,7 @@',
  ' export function greet(name) {',
  '   return `Hello, ${name}!`;',
  ' }',
  '+',
  '+export function farewell(name) {',
  '+  return `Goodbye, ${name}!`;',
  '+}',
  '',
].join('\n');

function ownToolAttempts(cli: AgentCliName, dir: string): ScriptTurn {
  const target = path.join(dir, 'README.md');
  return cli === 'claude-code'
    ? { text: 'Trying my own tools.', tool_calls: [{ name: 'Bash', arguments: { command: `echo pwned > ${target}` } }, { name: 'Write', arguments: { file_path: target, content: 'pwned' } }, { name: 'Edit', arguments: { file_path: path.join(dir, 'src', 'greet.js'), old_string: 'Hello', new_string: 'Pwned' } }, { name: 'WebFetch', arguments: { url: 'http://127.0.0.1:9/', prompt: 'x' } }] }
    : { text: 'Trying my own tools.', tool_calls: [{ name: 'exec_command', arguments: { cmd: `echo pwned > ${target}` } }, { name: 'shell', arguments: { command: ['bash', '-lc', `echo pwned > ${target}`] } }, { name: 'apply_patch', arguments: { input: '*** Begin Patch\n*** Update File: README.md\n@@\n-# greeter\n+pwned\n*** End Patch\n' } }, { name: 'exec', input: 'await tools.apply_patch("*** Begin Patch\\n*** Update File: README.md\\n@@\\n-# greeter\\n+pwned\\n*** End Patch\\n")' }] };
}

let fake: FakeProvider;
let repo: TestGitRepo;
let host: HttpToolHost;
let audit: ToolCallRecord[];

beforeEach(async () => {
  fake = await startFakeProvider();
  // Project files the CLIs would read on their own: instructions for the model and a hook that runs a shell command.
  const hook = { hooks: { SessionStart: [{ hooks: [{ type: 'command', command: 'touch hook-ran' }] }], PreToolUse: [{ matcher: '.*', hooks: [{ type: 'command', command: 'touch hook-ran' }] }] } };
  repo = await makeGitRepo({
    source: path.join(REPO_ROOT, 'test', 'fixtures', 'greeter', 'repo'),
    files: { 'secret.txt': 'not for workers\n', 'CLAUDE.md': 'PROJECT-NOTES-MARKER\n', 'AGENTS.md': 'PROJECT-NOTES-MARKER\n', '.claude/settings.json': JSON.stringify(hook), '.codex/config.toml': 'model = "not-this-one"\n' },
  });
  audit = [];
  host = await startHttpToolHost({ root: repo.dir, onToolCall: (record) => void audit.push(record) });
});
afterEach(async () => {
  await host.close();
  await fake.close();
  await repo.cleanup();
});

async function runCli(cli: AgentCliName, turns: ScriptTurn[], budget: WorkerBudget, extra: { onEvent?: (e: AgentCliEvent) => void; token?: string; runBudget?: RunBudget } = {}): Promise<{ outcome: AgentCliOutcome; events: AgentCliEvent[] }> {
  const grant = host.grants.mint({ tools: GRANTED as never, read: ['src/**', 'test/**', 'README.md', 'package.json'], write: ['src/greet.js', 'test/greet.test.js'], tests: { unit: 'node --test' }, expires_in_s: 600 });
  fake.answer(scriptedConversation(cliTurns(cli, turns)));
  const events: AgentCliEvent[] = [];
  const outcome = await runAgentCli({
    cli: locateAgentCli(cli, { env: { PATH: process.env['PATH'] } }),
    model: MODELS[cli],
    cwd: repo.dir,
    tools: { url: host.url, token: extra.token ?? grant.token, names: GRANTED },
    system: 'You are a baton worker. Use only the tools you are given.',
    brief: '# Task farewell: Add farewell(name)\n\nAdd farewell to src/greet.js and run the unit tests.',
    budget,
    ...(extra.runBudget ? { runBudget: extra.runBudget } : {}),
    env: { PATH: process.env['PATH'], ANTHROPIC_API_KEY: 'sk-ant-test', ANTHROPIC_BASE_URL: fake.url, OPENAI_API_KEY: 'sk-oai-test', OPENAI_BASE_URL: `${fake.url}/v1`, ...LEAKS },
    costOf: (modelId, usage) => (modelId.startsWith('anthropic:') || modelId.startsWith('openai:') ? (usage.inputTokens + usage.outputTokens) / 1_000_000 : -1),
    killGraceMs: 1000,
    onEvent: (event) => {
      events.push(event);
      extra.onEvent?.(event);
    },
  });
  return { outcome, events };
}

describe.each(['claude-code', 'codex'] as const)('%s as a worker', (cli) => {
  it('does the task through baton\'s tools only; its own shell, write and edit tools are refused and nothing outside the grant changes', async () => {
    const readme = await readFile(path.join(repo.dir, 'README.md'), 'utf8');
    let childEnv: Record<string, string> | undefined;
    const turns: ScriptTurn[] = [
      { text: 'Looking around.', tool_calls: [{ name: 'search', arguments: { query: 'greet' } }, { name: 'read_file', arguments: { path: 'src/greet.js' } }] },
      ownToolAttempts(cli, repo.dir),
      { text: 'Adding farewell.', tool_calls: [{ name: 'apply_diff', arguments: { patch: FAREWELL_DIFF } }] },
      { text: 'Running the tests.', tool_calls: [{ name: 'run_tests', arguments: { suite: 'unit' } }] },
      { text: 'Added farewell(name) to src/greet.js; the unit tests pass.' },
    ];
    const { outcome, events } = await runCli(cli, turns, { maxTurns: 20, maxTokens: 1_000_000 }, {
      onEvent: (event) => {
        // What the CLI process holds in its environment, read while it runs.
        if (event.type === 'cli_started' && event.pid !== undefined && process.platform === 'linux') {
          const raw = readFileSync(`/proc/${event.pid}/environ`, 'utf8');
          childEnv = Object.fromEntries(raw.split('\0').filter(Boolean).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)]));
        }
      },
    });

    expect(outcome, JSON.stringify(events)).toMatchObject({ kind: 'completed', summary: 'Added farewell(name) to src/greet.js; the unit tests pass.', turns: 5 });
    // The files: the one edit baton's apply_diff made, nothing else.
    expect(await readFile(path.join(repo.dir, 'src', 'greet.js'), 'utf8')).toContain('export function farewell(name)');
    expect(await readFile(path.join(repo.dir, 'src', 'greet.js'), 'utf8')).toContain('Hello, ${name}!');
    expect(await readFile(path.join(repo.dir, 'README.md'), 'utf8')).toBe(readme);
    expect(gitSync(repo.dir, ['status', '--porcelain', '--untracked-files=all'])).toBe('M src/greet.js');
    // The project's CLAUDE.md / AGENTS.md never reached the model, and its hooks never ran.
    expect(fake.requests.some((r) => JSON.stringify(r.body).includes('PROJECT-NOTES-MARKER'))).toBe(false);
    expect(fake.requests.every((r) => r.body['model'] === MODELS[cli])).toBe(true);
    // Every tool call that reached the repository went through the grant and is audited.
    // (The first turn's two calls may run side by side, in either order.)
    expect(audit.every((r) => r.ok)).toBe(true);
    expect([...audit.slice(0, 2).map((r) => r.tool).sort(), ...audit.slice(2).map((r) => r.tool)]).toEqual(['read_file', 'search', 'apply_diff', 'run_tests']);
    // Each model turn metered with its tokens and cost; the CLI's own tools reported as refused.
    const calls = events.filter((e) => e.type === 'model_call');
    expect(calls).toHaveLength(5);
    for (const call of calls) expect(call).toMatchObject({ model: `${cli}:${MODELS[cli]}`, usage: { inputTokens: 1000, outputTokens: 100 }, costUsd: 1100 / 1_000_000 });
    const refused = events.filter((e) => e.type === 'tool_refused').map((e) => e.name);
    expect(refused).toEqual(ownToolAttempts(cli, repo.dir).tool_calls!.map((c) => c.name).filter((n) => n !== 'exec'));
    // The model saw only baton's tools (and, for Codex, its inert ones), and got the key baton handed over.
    const headers = fake.requests[0]!.headers;
    if (cli === 'claude-code') expect(headers['x-api-key']).toBe('sk-ant-test');
    else expect(headers['authorization']).toBe('Bearer sk-oai-test');
    // No secret of baton's environment but the one credential reached the CLI.
    if (process.platform === 'linux') {
      expect(childEnv).toBeDefined();
      const values = Object.values(childEnv!).join('\n');
      for (const secret of [...Object.values(LEAKS), cli === 'claude-code' ? 'sk-oai-test' : 'sk-ant-test']) expect(values).not.toContain(secret);
      const expected = cli === 'claude-code'
        ? ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'BATON_TOOL_TOKEN', 'CLAUDE_CODE_DISABLE_AUTO_MEMORY', 'CLAUDE_CODE_DISABLE_CLAUDE_MDS', 'CLAUDE_CODE_DISABLE_GIT_INSTRUCTIONS', 'CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC', 'CLAUDE_CONFIG_DIR', 'DISABLE_AUTOUPDATER', 'DISABLE_ERROR_REPORTING', 'DISABLE_TELEMETRY', 'HOME', 'MCP_TIMEOUT', 'MCP_TOOL_TIMEOUT', 'NO_COLOR', 'NO_PROXY', 'PATH', 'TERM']
        : ['BATON_TOOL_TOKEN', 'CODEX_HOME', 'HOME', 'NO_COLOR', 'NO_PROXY', 'OPENAI_API_KEY', 'PATH', 'TERM'];
      expect(Object.keys(childEnv!).sort()).toEqual(expected);
      expect(childEnv!['HOME']).not.toBe(process.env['HOME']);
      // Claude Code talks to baton's meter, which forwards to the provider; it never gets the provider's URL.
      if (cli === 'claude-code') expect(childEnv!['ANTHROPIC_BASE_URL']).not.toContain(fake.url);
    }
  });

  it('is stopped, its whole process group with it, once a token budget is crossed with tool calls pending', async () => {
    const turns: ScriptTurn[] = [
      { text: 'Reading.', tool_calls: [{ name: 'read_file', arguments: { path: 'src/greet.js' } }] },
      { text: 'Reading the test.', tool_calls: [{ name: 'read_file', arguments: { path: 'test/greet.test.js' } }] },
      { text: 'Editing.', tool_calls: [{ name: 'apply_diff', arguments: { patch: FAREWELL_DIFF } }] },
      { text: 'Done.' },
    ];
    const { outcome, events } = await runCli(cli, turns, { maxTurns: 20, maxTokens: 2500 });
    expect(outcome).toMatchObject({ kind: 'budget_exhausted', which: 'tokens', turns: 3, usage: { inputTokens: 3000, outputTokens: 300 } });
    expect(events.filter((e) => e.type === 'budget_exhausted')).toEqual([{ type: 'budget_exhausted', limit: 'tokens', scope: 'worker' }]);
    // The third turn's edit never ran, and no fourth call went out.
    expect(audit.map((r) => r.tool)).toEqual(['read_file', 'read_file']);
    expect(gitSync(repo.dir, ['status', '--porcelain'])).toBe('');
    expect(fake.requests).toHaveLength(3);
    // Nothing of the CLI's process group is left.
    const started = events.find((e) => e.type === 'cli_started');
    expect(started?.type === 'cli_started' && started.pid).toBeTruthy();
    if (started?.type === 'cli_started' && started.pid !== undefined) expect(() => process.kill(-started.pid!, 0)).toThrow(expect.objectContaining({ code: 'ESRCH' }));
  });

  it('is held call by call to the run\'s shared budget: stopped with tool calls pending once it is crossed', async () => {
    const turns: ScriptTurn[] = [
      { text: 'Reading.', tool_calls: [{ name: 'read_file', arguments: { path: 'src/greet.js' } }] },
      { text: 'Reading the test.', tool_calls: [{ name: 'read_file', arguments: { path: 'test/greet.test.js' } }] },
      { text: 'Editing.', tool_calls: [{ name: 'apply_diff', arguments: { patch: FAREWELL_DIFF } }] },
      { text: 'Done.' },
    ];
    // The worker's own limits are far away; the run has 2,500 tokens left, of which other workers spent 400.
    const runBudget = createRunBudget({ limits: { tokens: 2_900 }, spent: { tokens: 400, costUsd: 0 }, largestCall: { tokens: 1_100, costUsd: 0 } });
    const { outcome, events } = await runCli(cli, turns, { maxTurns: 20, maxTokens: 1_000_000 }, { runBudget });
    expect(outcome).toMatchObject({ kind: 'budget_exhausted', which: 'tokens', scope: 'run', turns: 3 });
    expect(events.filter((e) => e.type === 'budget_exhausted')).toEqual([{ type: 'budget_exhausted', limit: 'tokens', scope: 'run' }]);
    expect(runBudget.usage()).toMatchObject({ tokens: 400 + 3_300, inFlight: 0 });
    expect(audit.map((r) => r.tool)).toEqual(['read_file', 'read_file']);
    expect(fake.requests).toHaveLength(3);
  });

  it('makes no model call when the run\'s budget is already spent by others', async () => {
    const runBudget = createRunBudget({ limits: { tokens: 1_000 }, spent: { tokens: 1_000, costUsd: 0 } });
    const { outcome } = await runCli(cli, [{ text: 'never sent' }], { maxTurns: 20, maxTokens: 1_000_000 }, { runBudget });
    expect(outcome).toMatchObject({ kind: 'budget_exhausted', which: 'tokens', scope: 'run', turns: 0 });
    expect(fake.requests).toHaveLength(0);
  });

  it('fails, saying so, when baton\'s tool host does not let it in, before any model call', async () => {
    const { outcome } = await runCli(cli, [{ text: 'never sent' }], { maxTurns: 20, maxTokens: 1_000_000 }, { token: 'not-a-grant-token' });
    expect(outcome.kind).toBe('failed');
    expect(outcome.kind === 'failed' && outcome.error).toMatch(cli === 'claude-code' ? /Claude Code could not use baton's tools: baton's tool host: failed/ : /Codex CLI could not use baton's tools: baton: handshaking with MCP server failed/);
    expect(fake.requests).toHaveLength(0);
    expect(audit).toHaveLength(0);
  });

  it('is stopped when its time budget runs out while the model hangs', async () => {
    fake.push({ hang: true });
    const { outcome, events } = await runCli(cli, [{ text: 'never sent' }], { maxTurns: 20, maxTokens: 1_000_000, maxWallMs: 2000 });
    expect(outcome).toMatchObject({ kind: 'budget_exhausted', which: 'wall_time', turns: 0 });
    expect(events.some((e) => e.type === 'budget_exhausted' && e.limit === 'wall_time')).toBe(true);
  });

  it('is stopped at the next model call once its turns are used up', async () => {
    const turns: ScriptTurn[] = [
      { text: 'Reading.', tool_calls: [{ name: 'read_file', arguments: { path: 'src/greet.js' } }] },
      { text: 'Reading again.', tool_calls: [{ name: 'read_file', arguments: { path: 'test/greet.test.js' } }] },
      { text: 'Done.' },
    ];
    const { outcome } = await runCli(cli, turns, { maxTurns: 2, maxTokens: 1_000_000 });
    expect(outcome).toMatchObject({ kind: 'budget_exhausted', which: 'turns', turns: 2 });
    expect(audit.map((r) => r.tool)).toEqual(['read_file', 'read_file']);
    expect(fake.requests).toHaveLength(2);
  });
});

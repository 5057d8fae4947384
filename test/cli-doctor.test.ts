// `baton doctor` through the real binary: machine checks, the repository's config and store, and
// one tiny call per configured model against fake providers speaking the real wire formats.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { startFakeProvider, type FakeProvider } from '@baton/worker-host/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeGitRepo, type TestGitRepo } from './helpers/git-repo.ts';
import { runBaton } from './helpers/run-cli.ts';

interface DoctorJson {
  ok: boolean;
  results: { name: string; status: string; detail: string; fix?: string; usage?: { inputTokens: number; outputTokens: number; costUsd: number | null } }[];
}

let repo: TestGitRepo;
let provider: FakeProvider;

beforeAll(async () => {
  repo = await makeGitRepo({ files: { 'README.md': 'x\n' } });
  provider = await startFakeProvider();
});
afterAll(async () => {
  await provider.close();
  await repo.cleanup();
});

async function writeConfig(config: Record<string, unknown>): Promise<void> {
  await writeFile(path.join(repo.dir, 'baton.config.json'), JSON.stringify(config));
}

const env = () => ({ ANTHROPIC_API_KEY: 'test-key', ANTHROPIC_BASE_URL: provider.url, OPENAI_API_KEY: 'test-key', OPENAI_BASE_URL: `${provider.url}/v1` });

describe('baton doctor', () => {
  it('checks the machine, the repository and each model with one tiny call, showing its tokens', async () => {
    await writeConfig({ models: { planner: 'anthropic:claude-opus-4-6', worker: 'openai-compatible:qwen-local' }, tests: { unit: 'node --test' } });
    provider.push({ turn: { text: 'OK', usage: { input: 21, output: 2 } } }, { turn: { text: 'OK', usage: { input: 17, output: 1 } } });
    const out = await runBaton(['doctor', '--repo', repo.dir, '--json'], { env: env() });
    expect(out.code, out.stderr).toBe(0);
    const report = JSON.parse(out.stdout) as DoctorJson;
    const byName = Object.fromEntries(report.results.map((r) => [r.name, r]));
    for (const name of ['node', 'git', 'ripgrep', 'sandbox (bubblewrap)', 'config', 'store']) expect(byName[name]?.status, name).toBe('ok');
    expect(byName['model anthropic:claude-opus-4-6 (planner, reviewer)']).toMatchObject({ status: 'ok', usage: { inputTokens: 21, outputTokens: 2 } });
    expect(byName['model anthropic:claude-opus-4-6 (planner, reviewer)']?.usage?.costUsd).toBeGreaterThan(0);
    expect(byName['model openai-compatible:qwen-local (worker)']).toMatchObject({ status: 'ok', usage: { inputTokens: 17, outputTokens: 1, costUsd: null } });
    expect(provider.requests.map((r) => r.path)).toEqual(['/v1/messages', '/v1/chat/completions']);
    expect(provider.requests[0]!.body['max_tokens']).toBe(16);
  });

  it('fails with advice on a refused key, a missing key and an unknown price, and exits 1', async () => {
    await writeConfig({ models: { planner: 'anthropic:claude-opus-4-6', worker: 'openai:gpt-unknown-7', reviewer: 'anthropic:claude-haiku-4-5' }, tests: { unit: 'node --test' } });
    provider.push({ fail: { status: 401, message: 'invalid x-api-key' } }, { turn: { text: 'OK', usage: { input: 5, output: 1 } } }, { turn: { text: 'OK', usage: { input: 5, output: 1 } } });
    const out = await runBaton(['doctor', '--repo', repo.dir, '--json'], { env: env() });
    expect(out.code).toBe(1);
    const byName = Object.fromEntries((JSON.parse(out.stdout) as DoctorJson).results.map((r) => [r.name, r]));
    expect(byName['model anthropic:claude-opus-4-6 (planner)']).toMatchObject({ status: 'fail', fix: expect.stringMatching(/ANTHROPIC_API_KEY/) });
    expect(byName['model openai:gpt-unknown-7 (worker)']).toMatchObject({ status: 'warn', fix: expect.stringMatching(/"prices"/) });
    expect(byName['model anthropic:claude-haiku-4-5 (reviewer)']?.status).toBe('ok');

    const noKey = await runBaton(['doctor', '--repo', repo.dir], { env: { OPENAI_BASE_URL: `${provider.url}/v1` } });
    expect(noKey.code).toBe(1);
    expect(noKey.stdout).toMatch(/FAIL\s+model anthropic:claude-opus-4-6 \(planner\): anthropic:claude-opus-4-6 needs ANTHROPIC_API_KEY/);
    expect(noKey.stdout).toMatch(/fix: export ANTHROPIC_API_KEY/);
    expect(noKey.stdout).toMatch(/check\(s\) failed/);
  });

  it('reports a broken config and a directory that is not a repository, and skips models on request', async () => {
    await writeFile(path.join(repo.dir, 'baton.config.json'), '{"maxWorkers": 0}');
    const bad = await runBaton(['doctor', '--repo', repo.dir, '--no-models', '--json']);
    expect(bad.code).toBe(1);
    const results = (JSON.parse(bad.stdout) as DoctorJson).results;
    expect(results.find((r) => r.name === 'config')).toMatchObject({ status: 'fail', detail: expect.stringMatching(/maxWorkers/) });
    expect(results.find((r) => r.name === 'models')).toMatchObject({ status: 'skip' });

    const outside = await runBaton(['doctor', '--repo', path.dirname(repo.dir), '--no-models']);
    expect(outside.code).toBe(1);
    expect(outside.stdout).toMatch(/FAIL\s+repository: .* is not inside a git repository/);
  });

  it('checks an agent CLI worker: its binary runs and its credential is set, without calling it', async () => {
    await writeConfig({ models: { planner: 'anthropic:claude-opus-4-6', worker: 'claude-code:claude-sonnet-4-6' }, tests: { unit: 'node --test' } });
    provider.push({ turn: { text: 'OK', usage: { input: 3, output: 1 } } });
    const before = provider.requests.length;
    const ok = await runBaton(['doctor', '--repo', repo.dir, '--json'], { env: env() });
    const found = (JSON.parse(ok.stdout) as DoctorJson).results.find((r) => r.name === 'model claude-code:claude-sonnet-4-6 (worker)');
    expect(found).toMatchObject({ status: 'ok', detail: expect.stringMatching(/Claude Code 2\.1\.332 from @anthropic-ai\/claude-code/) });
    expect(provider.requests.length - before).toBe(1);

    const missing = await runBaton(['doctor', '--repo', repo.dir, '--json'], { env: { ...env(), BATON_CLAUDE_BIN: path.join(repo.dir, 'no-such-claude') } });
    expect(missing.code).toBe(1);
    expect((JSON.parse(missing.stdout) as DoctorJson).results.find((r) => r.name === 'model claude-code:claude-sonnet-4-6 (worker)')?.status).toBe('fail');
  });

  it('is what baton run points to when a model cannot be set up', async () => {
    await writeConfig({ models: { planner: 'anthropic:claude-opus-4-6', worker: 'anthropic:claude-haiku-4-5' }, tests: { unit: 'node --test' } });
    const out = await runBaton(['run', 'Add a thing', '--repo', repo.dir, '--yes']);
    expect(out.code).toBe(2);
    expect(out.stderr).toMatch(/needs ANTHROPIC_API_KEY/);
    expect(out.stderr).toMatch(/baton doctor checks/);
  });

  it('has --help and refuses a bad timeout as a usage error', async () => {
    expect((await runBaton(['doctor', '--help'])).stdout).toMatch(/--no-models/);
    expect((await runBaton(['doctor', '--model-timeout', 'soon'])).code).toBe(2);
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider } from '../testing/fake-provider.ts';
import { createModelClient } from './create-model-client.ts';
import { ModelIdError } from './model-id.ts';

const request = { system: 's', messages: [{ role: 'user' as const, content: 'hi' }], tools: [], maxOutputTokens: 10 };
const noWait = { maxRetries: 1, baseDelayMs: 1, maxDelayMs: 1, sleep: async () => undefined };

describe('createModelClient', () => {
  let fake: FakeProvider;
  let dir: string;
  beforeAll(async () => {
    fake = await startFakeProvider();
    dir = await mkdtemp(join(tmpdir(), 'baton-models-'));
  });
  afterAll(async () => {
    await fake.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('picks the adapter by provider, with the key and base URL from the env it is given', async () => {
    const env = { ANTHROPIC_API_KEY: 'ant-key', ANTHROPIC_BASE_URL: fake.url, OPENAI_API_KEY: 'oai-key', OPENAI_BASE_URL: `${fake.url}/v1` };
    for (const [id, path, auth] of [
      ['anthropic:claude-opus-4-6', '/v1/messages', 'Bearer ant-key'],
      ['openai:gpt-5.3-codex', '/v1/responses', 'Bearer oai-key'],
      ['openai-compatible:qwen3-coder', '/v1/chat/completions', 'Bearer oai-key'],
    ] as const) {
      const client = await createModelClient(id, { env, retry: noWait });
      expect(`${client.provider}:${client.model}`).toBe(id);
      expect(client.scripted).toBe(false);
      fake.push({ turn: { text: `via ${path}` } });
      expect((await client.complete(request)).text).toBe(`via ${path}`);
      const sent = fake.requests.at(-1)!;
      expect(sent.path).toBe(path);
      expect(sent.headers['authorization']).toBe(auth);
    }
  });

  it('retries through the factory, and a baseUrl option wins over the env', async () => {
    const client = await createModelClient('anthropic:claude-haiku-4-5', { env: { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' }, baseUrl: fake.url, retry: noWait });
    fake.push({ fail: { status: 529 } }, { turn: { text: 'second try' } });
    expect((await client.complete(request)).text).toBe('second try');
  });

  it('abandons a silent stream after the idle timeout the environment sets, and refuses a bad value', async () => {
    const env = { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url, BATON_MODEL_IDLE_TIMEOUT_SECONDS: '0.2' };
    const client = await createModelClient('anthropic:claude-opus-4-6', { env, retry: { ...noWait, maxRetries: 0 } });
    fake.push({ turn: { text: 'and then nothing' }, cut: 'hang' });
    await expect(client.complete(request)).rejects.toMatchObject({ kind: 'timeout', message: expect.stringContaining('sent nothing for 200 ms') });
    // An explicit option (baton.config.json, read by the orchestrator) is what the caller decided.
    const explicit = await createModelClient('anthropic:claude-opus-4-6', { env, idleTimeoutMs: 300, retry: { ...noWait, maxRetries: 0 } });
    fake.push({ turn: { text: 'and then nothing' }, cut: 'hang' });
    await expect(explicit.complete(request)).rejects.toMatchObject({ message: expect.stringContaining('sent nothing for 300 ms') });
    await expect(createModelClient('anthropic:claude-opus-4-6', { env: { ...env, BATON_MODEL_IDLE_TIMEOUT_SECONDS: 'soon' } })).rejects.toThrow(/BATON_MODEL_IDLE_TIMEOUT_SECONDS must be a positive number of seconds/);
  });

  it('attaches the price, overridable, and none for unpriced local models', async () => {
    const env = { ANTHROPIC_API_KEY: 'k', OPENAI_BASE_URL: fake.url };
    expect((await createModelClient('anthropic:claude-opus-4-6', { env })).price).toMatchObject({ input: 5, output: 25 });
    expect((await createModelClient('anthropic:claude-opus-4-6', { env, prices: { 'anthropic:claude-opus-4-6': { input: 1, output: 2 } } })).price).toEqual({ input: 1, output: 2 });
    expect((await createModelClient('openai-compatible:llama3', { env })).price).toBeUndefined();
  });

  it('never lets the SDKs read base URLs, organizations or projects from process.env', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { OPENAI_ORG_ID: 'org-process', OPENAI_PROJECT_ID: 'proj-process', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1', ANTHROPIC_BASE_URL: 'http://127.0.0.1:9' });
    try {
      const env = { ANTHROPIC_API_KEY: 'k', OPENAI_API_KEY: 'k', OPENAI_ORG_ID: 'org-passed' };
      for (const id of ['anthropic:claude-opus-4-6', 'openai:gpt-5.3-codex', 'openai-compatible:qwen3-coder']) {
        fake.push({ turn: { text: 'ok' } });
        await (await createModelClient(id, { env, baseUrl: id.startsWith('anthropic') ? fake.url : `${fake.url}/v1`, retry: noWait })).complete(request);
        const headers = JSON.stringify(fake.requests.at(-1)!.headers);
        expect(headers).not.toContain('process');
        if (id.startsWith('openai:')) expect(fake.requests.at(-1)!.headers['openai-organization']).toBe('org-passed');
      }
    } finally {
      for (const key of ['OPENAI_ORG_ID', 'OPENAI_PROJECT_ID', 'OPENAI_BASE_URL', 'ANTHROPIC_BASE_URL']) if (saved[key] === undefined) delete process.env[key];
      Object.assign(process.env, saved);
    }
  });

  it('says which variable is missing, never reading process.env', async () => {
    process.env['ANTHROPIC_API_KEY'] ??= 'from-the-process';
    await expect(createModelClient('anthropic:claude-opus-4-6', { env: {} })).rejects.toThrow(new ModelIdError('anthropic:claude-opus-4-6 needs ANTHROPIC_API_KEY in the environment'));
    await expect(createModelClient('openai:gpt-5.3-codex', { env: { OPENAI_API_KEY: ' ' } })).rejects.toThrow('needs OPENAI_API_KEY');
    await expect(createModelClient('openai-compatible:qwen3-coder', { env: {} })).rejects.toThrow('needs OPENAI_BASE_URL');
    await expect(createModelClient('gemini:pro', { env: {} })).rejects.toThrow(ModelIdError);
  });

  it('loads scripted models from a file relative to cwd, labelled by the file name', async () => {
    await writeFile(join(dir, 'worker.yaml'), 'turns:\n  - text: scripted hello\n');
    const client = await createModelClient('scripted:worker.yaml', { env: {}, cwd: dir });
    expect(client).toMatchObject({ provider: 'scripted', model: 'worker.yaml', scripted: true });
    expect((await client.complete(request)).text).toBe('scripted hello');
  });
});

// The stream idle timeout reaches the model clients from baton.config.json, and a bad value of
// the environment variable that overrides it is a usage error.
import { startFakeProvider, type FakeProvider } from '@baton/worker-host/testing';
import { UsageError } from '@baton/mcp-tools';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BatonConfigSchema } from '../config/config-schema.ts';
import { runModels } from './run-models.ts';

let fake: FakeProvider;
const saved = { ...process.env };
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(() => fake.close());
afterEach(() => {
  for (const key of ['ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', 'BATON_MODEL_IDLE_TIMEOUT_SECONDS']) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
});

describe('runModels', () => {
  it('gives live clients the idle timeout of baton.config.json: a stalled stream is abandoned and retried', async () => {
    Object.assign(process.env, { ANTHROPIC_API_KEY: 'k', ANTHROPIC_BASE_URL: fake.url });
    const config = BatonConfigSchema.parse({ models: { planner: 'anthropic:claude-opus-4-6', worker: 'anthropic:claude-haiku-4-5', reviewer: 'anthropic:claude-sonnet-4-6', streamIdleTimeoutSeconds: 0.2 } });
    const models = await runModels(config, {}, { cwd: process.cwd(), repo: process.cwd() });
    // With the default two minutes this call would hang past the test's timeout.
    fake.push({ turn: { text: 'and then nothing' }, cut: 'hang' }, { turn: { text: 'second try' } });
    const before = fake.requests.length;
    expect((await models.reviewer.complete({ system: 's', messages: [{ role: 'user', content: 'hi' }], tools: [], maxOutputTokens: 10 })).text).toBe('second try');
    expect(fake.requests.length - before).toBe(2);
  });

  it('says what is wrong with BATON_MODEL_IDLE_TIMEOUT_SECONDS', async () => {
    Object.assign(process.env, { ANTHROPIC_API_KEY: 'k', BATON_MODEL_IDLE_TIMEOUT_SECONDS: '-1' });
    const config = BatonConfigSchema.parse({ models: { planner: 'anthropic:claude-opus-4-6', worker: 'anthropic:claude-haiku-4-5' } });
    const error = await runModels(config, {}, { cwd: process.cwd(), repo: process.cwd() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message).toContain('BATON_MODEL_IDLE_TIMEOUT_SECONDS must be a positive number of seconds');
  });
});

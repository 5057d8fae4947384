import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempRepo } from '@baton/mcp-tools/testing';
import { describe, expect, it } from 'vitest';
import { BatonConfigSchema } from './config-schema.ts';
import { inspectRepo, proposeConfig } from './inspect-repo.ts';
import { ConfigError, loadConfig } from './load-config.ts';

describe('config', () => {
  it('defaults when there is no file', async () => {
    const repo = await makeTempRepo();
    const { config, file } = await loadConfig(repo.root);
    expect(file).toBeUndefined();
    expect(config.maxWorkers).toBe(4);
    expect(config.protectedPaths).toContain('.github/**');
    await repo.cleanup();
  });

  it('names the field when the file is wrong', async () => {
    const repo = await makeTempRepo({ 'baton.config.json': JSON.stringify({ maxWorkers: 0, models: { planner: 'gpt' } }) });
    const error = await loadConfig(repo.root).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/maxWorkers/);
    expect((error as Error).message).toMatch(/models\.planner: model ids look like provider:model/);
    await writeFile(path.join(repo.root, 'baton.config.json'), '{ nope');
    await expect(loadConfig(repo.root)).rejects.toThrow(/not valid JSON/);
    await repo.cleanup();
  });

  it('proposes test commands from what the repository has', async () => {
    const repo = await makeTempRepo({
      'package.json': JSON.stringify({ scripts: { test: 'vitest run', 'test:e2e': 'playwright test', build: 'tsc' } }),
      'pnpm-lock.yaml': '',
      'go.mod': 'module x',
    });
    const facts = await inspectRepo(repo.root);
    expect(facts.tests).toEqual({ unit: 'pnpm run test', e2e: 'pnpm run test:e2e', go: 'go test ./...' });
    expect(BatonConfigSchema.parse(proposeConfig(facts, { schema: './schema.json' })).gateTest).toBe('unit');
    await repo.cleanup();
  });
});

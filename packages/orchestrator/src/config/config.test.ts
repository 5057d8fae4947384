import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeTempRepo } from '@baton/mcp-tools/testing';
import { describe, expect, it } from 'vitest';
import { git } from '../git/run-git.ts';
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

  it('names each workspace path that cannot be inside the repository', async () => {
    const repo = await makeTempRepo({ 'baton.config.json': JSON.stringify({ workspace: { link: ['../outside', '/abs', '.git/hooks', 'ok/**/node_modules'], copy: ['**/.env.test'], warm: 'sometimes' } }) });
    const error = (await loadConfig(repo.root).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain('workspace.link.0: "../outside" has an empty, "." or ".." segment');
    expect(error.message).toContain('workspace.link.1: "/abs" is absolute');
    expect(error.message).toContain('workspace.link.2: ".git/hooks" is inside .git');
    expect(error.message).not.toContain('workspace.link.3');
    expect(error.message).toContain('workspace.copy.0: "**/.env.test" starts with "**"');
    expect(error.message).toMatch(/workspace\.warm/);
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

  it('proposes what task workspaces need: the virtualenv, nested node_modules, test env files, code generation', async () => {
    const repo = await makeTempRepo({
      'pyproject.toml': '[project]\nname = "x"\n',
      '.venv/pyvenv.cfg': 'home = /usr/bin\n',
      'package.json': JSON.stringify({ scripts: { test: 'vitest run', generate: 'node gen.mjs' } }),
      'pnpm-lock.yaml': '',
      'node_modules/.modules.yaml': '',
      'packages/a/package.json': '{}',
      'packages/a/node_modules/dep/index.js': '',
      '.env.test': 'DB=test\n',
      '.env.testing': 'tracked, so every workspace has it\n',
      'target/debug/x': '',
      '.gitignore': '.venv/\nnode_modules/\n.env.test\ntarget/\n',
    });
    await git(['init', '-q'], { cwd: repo.root });
    await git(['add', '.gitignore', '.env.testing', 'package.json'], { cwd: repo.root });
    const facts = await inspectRepo(repo.root);
    expect(facts.tests.pytest).toBe('.venv/bin/python -m pytest -q');
    expect(facts.workspace).toEqual({
      link: ['.venv', 'node_modules', 'packages/*/node_modules'],
      copy: ['.env.test'],
      setup: { command: 'pnpm run generate', network: false, timeoutSeconds: 600 },
    });
    expect(facts.notes.join('\n')).toMatch(/build caches \(target\) are not linked/);
    expect(BatonConfigSchema.parse(proposeConfig(facts, { schema: './schema.json' })).workspace.link).toEqual(['.venv', 'node_modules', 'packages/*/node_modules']);
    await repo.cleanup();
  });
});

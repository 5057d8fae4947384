import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseAgentCliId } from './agent-cli-id.ts';
import { AgentCliMissingError, locateAgentCli, platformBinaries } from './locate-agent-cli.ts';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'baton-locate-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** A resolver for a machine without the optional dependencies. */
const notInstalled = (specifier: string): string => {
  throw new Error(`Cannot find module '${specifier}'`);
};

describe('locating an agent CLI', () => {
  it('names the package to install when the CLI is nowhere', () => {
    for (const [cli, pkg] of [['claude-code', '@anthropic-ai/claude-code'], ['codex', '@openai/codex']] as const) {
      const attempt = () => locateAgentCli(cli, { env: { PATH: path.join(dir, 'bin') }, resolve: notInstalled });
      expect(attempt).toThrow(AgentCliMissingError);
      expect(attempt).toThrow(new RegExp(`npm package ${pkg.replace('/', '\\/')}.*npm install -g ${pkg.replace('/', '\\/')}`));
    }
  });

  it('takes the binary from the environment override, and says when that path is wrong', () => {
    const fake = path.join(dir, 'claude');
    writeFileSync(fake, '#!/bin/sh\necho "9.9.9 (Claude Code)"\n');
    chmodSync(fake, 0o755);
    expect(locateAgentCli('claude-code', { env: { BATON_CLAUDE_BIN: fake }, resolve: notInstalled })).toEqual({ cli: 'claude-code', binary: fake, source: 'env', version: '9.9.9' });
    expect(() => locateAgentCli('codex', { env: { BATON_CODEX_BIN: path.join(dir, 'missing') }, resolve: notInstalled })).toThrow(/BATON_CODEX_BIN=.*missing is not an executable file/);
  });

  it('falls back to an existing installation on PATH', () => {
    const bin = path.join(dir, 'bin');
    mkdirSync(bin);
    writeFileSync(path.join(bin, 'codex'), '#!/bin/sh\necho "codex-cli 0.99.1"\n');
    chmodSync(path.join(bin, 'codex'), 0o755);
    expect(locateAgentCli('codex', { env: { PATH: `relative:${bin}` }, resolve: notInstalled })).toEqual({ cli: 'codex', binary: path.join(bin, 'codex'), source: 'path', version: '0.99.1' });
  });

  it('finds the native binary of baton\'s optional dependency on this machine', () => {
    for (const cli of ['claude-code', 'codex'] as const) {
      const found = locateAgentCli(cli, { env: { PATH: '' } });
      expect(found.source).toBe('package');
      expect(found.version).toBe(cli === 'claude-code' ? '2.1.332' : '0.171.0');
    }
  });

  it('knows the platform packages and binary paths', () => {
    expect(platformBinaries('claude-code', 'linux', 'x64').map((c) => c.package)).toEqual(['@anthropic-ai/claude-code-linux-x64-musl', '@anthropic-ai/claude-code-linux-x64']);
    expect(platformBinaries('claude-code', 'win32', 'arm64')).toEqual([{ package: '@anthropic-ai/claude-code-win32-arm64', file: ['claude.exe'] }]);
    expect(platformBinaries('codex', 'darwin', 'arm64')).toEqual([{ package: '@openai/codex-darwin-arm64', file: ['vendor', 'aarch64-apple-darwin', 'bin', 'codex'] }]);
    expect(platformBinaries('codex', 'linux', 'ia32')).toEqual([]);
  });
});

describe('agent CLI worker ids', () => {
  it('reads claude-code:<model> and codex:<model>, and refuses odd model names', () => {
    expect(parseAgentCliId('claude-code:claude-sonnet-4-6')).toEqual({ cli: 'claude-code', model: 'claude-sonnet-4-6' });
    expect(parseAgentCliId('codex:gpt-5.3-codex')).toEqual({ cli: 'codex', model: 'gpt-5.3-codex' });
    expect(() => parseAgentCliId('codex:')).toThrow(/needs a model name after "codex:"/);
    expect(() => parseAgentCliId('codex:gpt" --x')).toThrow(/needs a model name/);
    expect(() => parseAgentCliId('cursor:x')).toThrow(/not an agent CLI worker/);
  });
});

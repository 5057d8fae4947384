// The real baton-tools binary over stdio, driven by the SDK's client.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';

const bin = fileURLToPath(new URL('../../bin/baton-tools.js', import.meta.url));
let repo: TempRepo;

beforeAll(async () => {
  repo = await makeTempRepo({ 'src/a.ts': 'export const a = 1;\n', 'private/b.ts': 'export const b = 2;\n' });
});
afterAll(() => repo.cleanup());

async function connect(args: string[]) {
  const transport = new StdioClientTransport({ command: process.execPath, args: [bin, ...args], stderr: 'pipe' });
  const client = new Client({ name: 'stdio-test', version: '0.0.0' });
  await client.connect(transport);
  return client;
}

describe('baton-tools over stdio', () => {
  it('serves the grant from its flags and confines reads', async () => {
    const client = await connect(['--root', repo.root, '--read', 'src/**', '--tools', 'read_file,search']);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['read_file', 'search']);
    const ok = await client.callTool({ name: 'read_file', arguments: { path: 'src/a.ts' } });
    expect(ok.structuredContent).toMatchObject({ content: 'export const a = 1;' });
    const denied = await client.callTool({ name: 'read_file', arguments: { path: 'private/b.ts' } });
    expect(denied.isError).toBe(true);
    const escape = await client.callTool({ name: 'read_file', arguments: { path: '../repo-other' } });
    expect(escape.isError).toBe(true);
    const search = await client.callTool({ name: 'search', arguments: { query: 'export const' } });
    expect((search.structuredContent as { matches: { path: string }[] }).matches.map((m) => m.path)).toEqual(['src/a.ts']);
    await client.close();
  });

  it('exits with code 2 and a message on a bad flag value', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [bin, '--root', repo.root, '--tools', 'read_file,rm_rf'], { encoding: 'utf8' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/unknown tool "rm_rf"/);
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/--write <glob>/);
  });
});

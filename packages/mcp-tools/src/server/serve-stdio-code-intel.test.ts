// The code-intelligence tools through the real baton-tools binary over stdio: granted by --tools,
// answered by a sandboxed language server, and the server ends when the session does.
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../testing/heartbeat.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';

const bin = fileURLToPath(new URL('../../bin/baton-tools.js', import.meta.url));
let repo: TempRepo;

beforeAll(async () => {
  repo = await makeTempRepo({
    'tsconfig.json': JSON.stringify({ compilerOptions: { strict: true, noEmit: true }, include: ['src'] }),
    'src/a.ts': 'export function greet(name: string): string {\n  return name;\n}\n',
    'src/b.ts': "import { greet } from './a';\ngreet('x');\n",
    'private/c.ts': 'export const c = 1;\n',
  });
});
afterAll(() => repo.cleanup());

describe('baton-tools --tools with the language-server tools', () => {
  it('lists and answers them, and stops the server when the session ends', async () => {
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, '--root', repo.root, '--read', 'src/**', '--read', 'tsconfig.json', '--tools', 'read_file,find_symbol,goto_definition,find_references,document_symbols,diagnostics'],
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'stdio-lsp-test', version: '0.0.0' });
    await client.connect(transport);
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['diagnostics', 'document_symbols', 'find_references', 'find_symbol', 'goto_definition', 'read_file']);
    const references = await client.callTool({ name: 'find_references', arguments: { symbol: 'greet' } });
    expect(references.isError).toBeFalsy();
    expect((references.structuredContent as { references: { path: string; line: number }[] }).references.map((r) => `${r.path}:${r.line}`)).toEqual(['src/a.ts:1', 'src/b.ts:1', 'src/b.ts:2']);
    const refused = await client.callTool({ name: 'document_symbols', arguments: { path: 'private/c.ts' } });
    expect(refused.isError).toBe(true);
    const pid = Number(/language server typescript started for .* \(pid (\d+), sandboxed/.exec(stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    await client.close();
    // baton-tools stopped it itself when stdin closed (not only died with it).
    expect(stderr).toMatch(/language server typescript for .* stopped \(closed\)/);
    expect(() => process.kill(pid, 0)).toThrow();
  });

  it('leaves no server running when baton-tools is killed outright', async () => {
    // A temp directory of its own: baton-tools killed outright cannot remove its server's directory.
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [bin, '--root', repo.root, '--tools', 'document_symbols'],
      env: { PATH: process.env['PATH'] ?? '', TMPDIR: repo.outside },
      stderr: 'pipe',
    });
    let stderr = '';
    transport.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const client = new Client({ name: 'stdio-lsp-kill-test', version: '0.0.0' });
    await client.connect(transport);
    const outline = await client.callTool({ name: 'document_symbols', arguments: { path: 'src/a.ts' } });
    expect(outline.isError).toBeFalsy();
    const pid = Number(/language server typescript started for .* \(pid (\d+), sandboxed/.exec(stderr)?.[1]);
    expect(pid).toBeGreaterThan(0);
    // The server's stdin is its only link to baton: when baton dies, the server reads end-of-file and
    // exits, and as PID 1 of its sandbox it takes every process there with it.
    process.kill(transport.pid!, 'SIGKILL');
    await waitFor(() => !alive(pid), 'the language server to end after baton-tools was killed');
    await client.close();
  });
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

// A third-party MCP client (the MCP Inspector's CLI mode) against the real baton-tools binary.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const inspector = path.join(repoRoot, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
const bin = path.join(repoRoot, 'packages', 'mcp-tools', 'bin', 'baton-tools.js');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-inspector-'));
  await writeFile(path.join(dir, 'notes.md'), 'inspector can read this\n');
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function runInspector(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [inspector, '--cli', process.execPath, bin, '--root', dir, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('MCP Inspector CLI against baton-tools', () => {
  it('lists the tools', async () => {
    const result = await runInspector(['--method', 'tools/list']);
    expect(result.code).toBe(0);
    const names = (JSON.parse(result.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name);
    expect(names.sort()).toEqual(['list_files', 'read_file', 'search']);
  });

  it('reads a file', async () => {
    const result = await runInspector(['--method', 'tools/call', '--tool-name', 'read_file', '--tool-arg', 'path=notes.md']);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ structuredContent: { content: 'inspector can read this', total_lines: 1 } });
  });
});

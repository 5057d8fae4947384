// `baton serve` through its real binary, driven by a third-party MCP client (the MCP
// Inspector's CLI) over Streamable HTTP with a grant minted through the admin API.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BATON_BIN, REPO_ROOT } from './helpers/run-cli.ts';

const inspector = path.join(REPO_ROOT, 'node_modules', '@modelcontextprotocol', 'inspector', 'clients', 'launcher', 'build', 'index.js');
let dir: string;
let server: ChildProcessWithoutNullStreams;
let stderr = '';
let endpoint: { url: string; admin_token: string };

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-serve-'));
  await mkdir(path.join(dir, 'repo', 'docs'), { recursive: true });
  await writeFile(path.join(dir, 'repo', 'docs', 'guide.md'), 'served over http\n');
  await writeFile(path.join(dir, 'repo', 'private.txt'), 'not for this grant\n');
  server = spawn(process.execPath, [BATON_BIN, 'serve', '--root', path.join(dir, 'repo'), '--json', '--audit', path.join(dir, 'audit.jsonl')], {
    env: { PATH: process.env.PATH ?? '', HOME: dir, NO_COLOR: '1' },
  });
  server.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: server.stdout });
  const [first] = (await once(lines, 'line')) as [string];
  endpoint = JSON.parse(first) as typeof endpoint;
});

afterAll(async () => {
  if (server.exitCode === null) server.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

function runInspector(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [inspector, '--cli', ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { PATH: process.env.PATH ?? '', HOME: dir } });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: out, stderr: err }));
  });
}

async function mint(body: unknown): Promise<{ id: string; token: string }> {
  const response = await fetch(`${new URL(endpoint.url).origin}/grants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${endpoint.admin_token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(201);
  return (await response.json()) as { id: string; token: string };
}

describe('baton serve', () => {
  it('prints its endpoint and a generated admin token', () => {
    expect(endpoint.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/mcp$/);
    expect(endpoint.admin_token.length).toBeGreaterThanOrEqual(43);
  });

  it('serves a third-party client exactly the grant it was given', async () => {
    const grant = await mint({ tools: ['read_file', 'list_files'], read: ['docs/**'], expires_in_s: 300 });
    const common = ['--transport', 'http', '--server-url', endpoint.url, '--header', `Authorization: Bearer ${grant.token}`];
    const listed = await runInspector([...common, '--method', 'tools/list']);
    expect(listed.code, listed.stderr).toBe(0);
    expect((JSON.parse(listed.stdout) as { tools: { name: string }[] }).tools.map((t) => t.name).sort()).toEqual(['list_files', 'read_file']);

    const read = await runInspector([...common, '--method', 'tools/call', '--tool-name', 'read_file', '--tool-arg', 'path=docs/guide.md']);
    expect(read.code, read.stderr).toBe(0);
    expect(JSON.parse(read.stdout)).toMatchObject({ structuredContent: { content: 'served over http' } });

    const denied = await runInspector([...common, '--method', 'tools/call', '--tool-name', 'read_file', '--tool-arg', 'path=private.txt']);
    expect(denied.stdout).not.toContain('not for this grant');
    expect(JSON.parse(denied.stdout)).toMatchObject({ isError: true });

    const audit = (await readFile(path.join(dir, 'audit.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(audit.map((r) => [r['grantId'], r['tool'], r['ok']])).toEqual([
      [grant.id, 'read_file', true],
      [grant.id, 'read_file', false],
    ]);
  });

  it('refuses a revoked grant to the same client', async () => {
    const grant = await mint({ tools: ['read_file'], read: ['docs/**'] });
    const revoked = await fetch(`${new URL(endpoint.url).origin}/grants/${grant.id}`, { method: 'DELETE', headers: { Authorization: `Bearer ${endpoint.admin_token}` } });
    expect(revoked.status).toBe(204);
    const result = await runInspector(['--transport', 'http', '--server-url', endpoint.url, '--header', `Authorization: Bearer ${grant.token}`, '--method', 'tools/list']);
    expect(result.code).not.toBe(0);
  });

  it('shuts down cleanly on SIGTERM', async () => {
    server.kill('SIGTERM');
    const [code] = (await once(server, 'exit')) as [number | null];
    expect(code, stderr).toBe(0);
    expect(stderr).toContain('SIGTERM, closing');
  });
});

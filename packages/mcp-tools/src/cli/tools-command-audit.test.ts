// `baton-tools --audit FILE`: the real stdio binary writes one JSON line per tool call.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ToolCallRecordSchema } from '../audit/tool-call-record.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';

const bin = fileURLToPath(new URL('../../bin/baton-tools.js', import.meta.url));
let repo: TempRepo;

beforeAll(async () => {
  repo = await makeTempRepo({ 'src/a.ts': 'export const a = 1;\n', 'private/b.ts': 'export const b = 2;\n' });
});
afterAll(() => repo.cleanup());

describe('baton-tools --audit', () => {
  it('appends a record per call with the files read and the error of a refused call', async () => {
    const auditFile = path.join(repo.outside, 'audit.jsonl');
    const transport = new StdioClientTransport({ command: process.execPath, args: [bin, '--root', repo.root, '--read', 'src/**', '--audit', auditFile], stderr: 'pipe' });
    const client = new Client({ name: 'audit-test', version: '0.0.0' });
    await client.connect(transport);
    await client.callTool({ name: 'read_file', arguments: { path: 'src/a.ts' } });
    await client.callTool({ name: 'read_file', arguments: { path: 'private/b.ts' } });
    await client.close();
    const lines = (await readFile(auditFile, 'utf8')).trim().split('\n');
    const records = lines.map((line) => ToolCallRecordSchema.parse(JSON.parse(line)));
    expect(records).toHaveLength(2);
    expect(records[0]).toMatchObject({ sessionId: 'stdio', grantId: 'cli', tool: 'read_file', args: { path: 'src/a.ts' }, filesRead: ['src/a.ts'], ok: true });
    expect(records[1]).toMatchObject({ tool: 'read_file', filesRead: [], deniedPaths: ['private/b.ts'], ok: false, error: { code: 'path_out_of_scope' } });
  });

  it('exits 2 when the audit file cannot be opened', async () => {
    const { spawnSync } = await import('node:child_process');
    const result = spawnSync(process.execPath, [bin, '--root', repo.root, '--audit', path.join(repo.outside, 'missing-dir', 'audit.jsonl')], { encoding: 'utf8', input: '' });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/cannot open --audit/);
  });
});

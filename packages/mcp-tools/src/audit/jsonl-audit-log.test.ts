// The JSON-lines audit log: one parseable line per record, appended; failures never throw.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJsonlAuditLog } from './jsonl-audit-log.ts';
import { ToolCallRecordSchema, type ToolCallRecord } from './tool-call-record.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'baton-audit-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const record = (summary: string): ToolCallRecord => ({
  type: 'tool.call', at: '2025-01-01T00:00:00.000Z', sessionId: 's1', grantId: 'g1', tool: 'search', args: { query: 'a\nb' },
  filesRead: ['src/a.ts'], filesWritten: [], deniedPaths: [], ok: true, summary, durationMs: 3,
});

describe('openJsonlAuditLog', () => {
  it('appends to an existing file, one record per line, readable before close', async () => {
    const file = path.join(dir, 'append.jsonl');
    await writeFile(file, '{"earlier":true}\n');
    const log = openJsonlAuditLog({ file });
    log.write(record('first'));
    log.write(record('second'));
    const lines = (await readFile(file, 'utf8')).trim().split('\n');
    log.close();
    expect(lines).toHaveLength(3);
    expect(ToolCallRecordSchema.parse(JSON.parse(lines[1]!))).toMatchObject({ summary: 'first', args: { query: 'a\nb' } });
    expect(JSON.parse(lines[2]!)).toMatchObject({ summary: 'second' });
  });

  it('reports writes after close to onError instead of throwing', () => {
    const errors: Error[] = [];
    const log = openJsonlAuditLog({ file: path.join(dir, 'closed.jsonl'), onError: (e) => errors.push(e) });
    log.close();
    expect(() => log.write(record('late'))).not.toThrow();
    expect(errors.map((e) => e.message)).toEqual(['the audit log is closed']);
  });

  it('throws at open when the file cannot be created', () => {
    expect(() => openJsonlAuditLog({ file: path.join(dir, 'no-such-dir', 'a.jsonl') })).toThrow(/ENOENT/);
  });
});

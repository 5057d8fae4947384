// read_file, list_files and search through the SDK's in-memory transport, with a grant.
import { symlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../audit/tool-call-record.ts';
import { GrantSchema, type GrantInput } from '../grant.ts';
import { connectInMemory } from '../testing/connect-in-memory.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';

let repo: TempRepo;

beforeAll(async () => {
  repo = await makeTempRepo({
    'README.md': '# Demo\nhello from the readme\n',
    'src/index.ts': 'export const greeting = "hello";\nexport function add(a: number, b: number) {\n  return a + b;\n}\n',
    'src/util/strings.ts': 'export const shout = (s: string) => s.toUpperCase(); // hello\n',
    'src/crlf.ts': 'line one\r\nline two\r\n',
    'secrets/key.pem': 'hello PRIVATE KEY\n',
    'build/out.js': 'hello from build output\n',
    '.gitignore': 'build/\n',
    '.github/workflows/ci.yml': 'name: ci # hello\n',
    '.git/config': '[core] hello\n',
    'bin/blob.bin': Buffer.from([0x68, 0x65, 0x00, 0x01, 0x02]),
    'big.txt': `${'x'.repeat(99)}\n`.repeat(200),
    'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]),
  });
  await writeFile(path.join(repo.outside, 'stolen.txt'), 'hello from outside\n');
  await symlink(path.join(repo.outside, 'stolen.txt'), path.join(repo.root, 'src/escape.txt'));
  await symlink(repo.outside, path.join(repo.root, 'src/escape-dir'));
  await symlink(path.join(repo.root, 'secrets/key.pem'), path.join(repo.root, 'src/key-link.pem'));
});
afterAll(() => repo.cleanup());

async function session(grant: GrantInput = {}) {
  const records: ToolCallRecord[] = [];
  const { client, close } = await connectInMemory({ root: repo.root, grant: GrantSchema.parse(grant), onToolCall: (r) => records.push(r) });
  return { client, close, records };
}

async function call(client: Client, name: string, args: Record<string, unknown>) {
  const result = await client.callTool({ name, arguments: args });
  const text = (result.content as { type: string; text: string }[]).map((c) => c.text).join('\n');
  return { isError: result.isError === true, text, data: result.structuredContent as Record<string, unknown> | undefined };
}

describe('tools/list', () => {
  it('shows only the grant\'s tools, with schemas and annotations', async () => {
    const { client, close } = await session({ tools: ['read_file', 'search'] });
    const { tools } = await client.listTools();
    expect(tools.map((t) => t.name).sort()).toEqual(['read_file', 'search']);
    const read = tools.find((t) => t.name === 'read_file')!;
    expect(read.annotations).toMatchObject({ readOnlyHint: true, destructiveHint: false });
    expect(read.inputSchema.properties).toHaveProperty('path');
    expect(read.outputSchema?.properties).toHaveProperty('total_lines');
    await close();
  });

  it('refuses a call to a tool the grant does not name', async () => {
    const { client, close } = await session({ tools: ['read_file'] });
    const result = await client.callTool({ name: 'search', arguments: { query: 'x' } }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
    expect(result.isError).toBe(true);
    await close();
  });
});

describe('read_file', () => {
  it('returns numbered lines, the total and the range', async () => {
    const { client, close, records } = await session();
    const out = await call(client, 'read_file', { path: 'src/index.ts', start_line: 2, end_line: 3 });
    expect(out.isError).toBe(false);
    expect(out.data).toMatchObject({ path: 'src/index.ts', start_line: 2, end_line: 3, total_lines: 4, truncated: false });
    expect(out.data?.content).toBe('export function add(a: number, b: number) {\n  return a + b;');
    expect(out.text).toContain('2\texport function add');
    expect(records[0]).toMatchObject({ tool: 'read_file', ok: true, filesRead: ['src/index.ts'] });
    await close();
  });

  it('strips CR from CRLF lines in content', async () => {
    const { client, close } = await session();
    const out = await call(client, 'read_file', { path: 'src/crlf.ts' });
    expect(out.data?.content).toBe('line one\nline two');
    await close();
  });

  const attacks = [
    '../repo-other/stolen.txt',
    `${'../'.repeat(12)}etc/passwd`,
    '/etc/passwd',
    'src/escape.txt',
    'src/escape-dir/stolen.txt',
    'src/../../repo-other/stolen.txt',
    '.git/config',
    'src/\0index.ts',
    '..\\repo-other\\stolen.txt',
  ];
  it.each(attacks)('refuses %j with an actionable error and reads nothing', async (attack) => {
    const { client, close, records } = await session();
    const out = await call(client, 'read_file', { path: attack });
    expect(out.isError).toBe(true);
    expect(out.text).not.toContain('hello from outside');
    expect(out.text).not.toContain('[core]');
    expect(records[0]?.filesRead).toEqual([]);
    await close();
  });

  it('refuses a path outside the read globs, also through an in-root symlink', async () => {
    const { client, close, records } = await session({ read: ['src/**', 'README.md'] });
    for (const p of ['secrets/key.pem', 'src/key-link.pem']) {
      const out = await call(client, 'read_file', { path: p });
      expect(out.isError).toBe(true);
      expect(out.text).toMatch(/outside this session's read scope/);
      expect(out.text).not.toContain('PRIVATE KEY');
    }
    expect(records.flatMap((r) => r.deniedPaths)).toEqual(['secrets/key.pem', 'secrets/key.pem']);
    await close();
  });

  it('refuses binary and non-UTF-8 files', async () => {
    const { client, close } = await session();
    expect((await call(client, 'read_file', { path: 'bin/blob.bin' })).text).toMatch(/binary file/);
    expect((await call(client, 'read_file', { path: 'latin1.txt' })).text).toMatch(/not valid UTF-8/);
    await close();
  });

  it('refuses a file over the size limit unless a line range is given', async () => {
    const { client, close } = await session({ limits: { maxFileBytes: 1_000 } });
    const whole = await call(client, 'read_file', { path: 'big.txt' });
    expect(whole.isError).toBe(true);
    expect(whole.text).toMatch(/20000 bytes.*start_line and end_line/);
    const range = await call(client, 'read_file', { path: 'big.txt', start_line: 150, end_line: 151 });
    expect(range.isError).toBe(false);
    expect(range.data).toMatchObject({ start_line: 150, end_line: 151, total_lines: -1 });
    await close();
  });

  it('truncates at the output limit and says where to continue', async () => {
    const { client, close } = await session({ limits: { maxOutputBytes: 1_000 } });
    const out = await call(client, 'read_file', { path: 'big.txt' });
    expect(out.data).toMatchObject({ truncated: true, start_line: 1, end_line: 9, next_start_line: 10, total_lines: 200 });
    expect(out.text).toContain('continue with start_line=10');
    await close();
  });

  it('explains missing files, directories and bad ranges', async () => {
    const { client, close } = await session();
    expect((await call(client, 'read_file', { path: 'nope.ts' })).text).toMatch(/does not exist; use list_files or search/);
    expect((await call(client, 'read_file', { path: 'src' })).text).toMatch(/is a directory; use list_files/);
    expect((await call(client, 'read_file', { path: 'src/index.ts', start_line: 50 })).text).toMatch(/past the end/);
    expect((await call(client, 'read_file', { path: 'src/index.ts', start_line: 3, end_line: 2 })).text).toMatch(/before start_line/);
    await close();
  });

  it('rejects malformed arguments as a result, not a crash', async () => {
    const { client, close } = await session();
    const result = await client.callTool({ name: 'read_file', arguments: { path: 42 } }).catch((e: Error) => ({ isError: true, content: [{ type: 'text', text: e.message }] }));
    expect(result.isError).toBe(true);
    const after = await call(client, 'read_file', { path: 'README.md' });
    expect(after.isError).toBe(false);
    await close();
  });
});

describe('list_files', () => {
  it('lists readable files, honouring .gitignore and skipping .git and escaping links', async () => {
    const { client, close } = await session();
    const out = await call(client, 'list_files', {});
    const files = out.data?.files as string[];
    expect(files).toContain('src/index.ts');
    expect(files).toContain('.github/workflows/ci.yml');
    expect(files).not.toContain('build/out.js');
    expect(files.some((f) => f.startsWith('.git/'))).toBe(false);
    expect(files.some((f) => f.includes('stolen'))).toBe(false);
    await close();
  });

  it('never shows out-of-scope files', async () => {
    const { client, close } = await session({ read: ['src/**'] });
    const files = (await call(client, 'list_files', {})).data?.files as string[];
    expect(files.length).toBeGreaterThan(0);
    expect(files.every((f) => f.startsWith('src/'))).toBe(true);
    await close();
  });

  it('filters by directory and glob and truncates at the result limit', async () => {
    const { client, close } = await session({ limits: { maxResults: 2 } });
    expect((await call(client, 'list_files', { path: 'src/util' })).data?.files).toEqual(['src/util/strings.ts']);
    const ts = await call(client, 'list_files', { glob: '*.ts' });
    expect(ts.data).toMatchObject({ truncated: true });
    expect((ts.data?.files as string[]).every((f) => f.endsWith('.ts'))).toBe(true);
    await close();
  });

  it('refuses to list outside the root or through an escaping symlink', async () => {
    const { client, close } = await session();
    expect((await call(client, 'list_files', { path: '..' })).isError).toBe(true);
    expect((await call(client, 'list_files', { path: 'src/escape-dir' })).isError).toBe(true);
    expect((await call(client, 'list_files', { path: '.git' })).isError).toBe(true);
    await close();
  });
});

describe('search', () => {
  it('returns matches on lines that are not UTF-8, decoded leniently and marked', async () => {
    await repo.write('fr/a.py', Buffer.concat([Buffer.from('Les hommes oubli'), Buffer.from([0xe9, 0x0a])]));
    await repo.write('fr/b.py', 'Les hommes\n');
    const { client, close } = await session();
    const out = await call(client, 'search', { query: 'hommes', path: 'fr' });
    expect(out.data).toEqual({
      matches: [
        { path: 'fr/a.py', line: 1, column: 5, text: 'Les hommes oubli\uFFFD', not_utf8: true },
        { path: 'fr/b.py', line: 1, column: 5, text: 'Les hommes' },
      ],
      truncated: false,
    });
    expect(out.text).toContain('[not UTF-8]');
    await close();
  });

  it('finds matches with path, line, column and text', async () => {
    const { client, close } = await session();
    const out = await call(client, 'search', { query: 'return a + b' });
    expect(out.data?.matches).toEqual([{ path: 'src/index.ts', line: 3, column: 3, text: '  return a + b;' }]);
    await close();
  });

  it('only returns paths inside the read scope and never .git, ignored or outside files', async () => {
    const { client, close } = await session({ read: ['src/**', 'README.md'] });
    const out = await call(client, 'search', { query: 'hello' });
    const paths = (out.data?.matches as { path: string }[]).map((m) => m.path);
    expect(paths.sort()).toEqual(['README.md', 'src/index.ts', 'src/util/strings.ts']);
    await close();
  });

  it('supports regex, case sensitivity, glob and stops at max_results', async () => {
    const { client, close } = await session();
    const regex = await call(client, 'search', { query: 'export (const|function) \\w+', regex: true, glob: '*.ts' });
    expect((regex.data?.matches as unknown[]).length).toBe(3);
    const sensitive = await call(client, 'search', { query: 'HELLO', case_sensitive: true });
    expect(sensitive.data?.matches).toEqual([]);
    const capped = await call(client, 'search', { query: 'hello', max_results: 1 });
    expect(capped.data).toMatchObject({ truncated: true });
    expect((capped.data?.matches as unknown[]).length).toBe(1);
    await close();
  });

  it('treats the query as one argument, never as rg options', async () => {
    const { client, close } = await session();
    const out = await call(client, 'search', { query: '--files' });
    expect(out.isError).toBe(false);
    expect(out.data?.matches).toEqual([]);
    await close();
  });

  it('returns an invalid regex as an actionable error', async () => {
    const { client, close } = await session();
    const out = await call(client, 'search', { query: '(unclosed', regex: true });
    expect(out.isError).toBe(true);
    expect(out.text).toMatch(/ripgrep failed/);
    await close();
  });
});

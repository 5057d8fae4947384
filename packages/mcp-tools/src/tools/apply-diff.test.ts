// apply_diff through the SDK's in-memory transport: the grant's write scope, .git and symlink
// escapes, all-or-nothing writes, dry runs, and the audit record of files written.
import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ToolCallRecord } from '../audit/tool-call-record.ts';
import { GrantSchema } from '../grant.ts';
import { connectInMemory } from '../testing/connect-in-memory.ts';
import { makeTempRepo, type TempRepo } from '../testing/temp-repo.ts';

let repo: TempRepo;
beforeEach(async () => {
  repo = await makeTempRepo({ 'src/a.ts': 'one\ntwo\nthree\n', 'src/b.ts': 'alpha\nbeta\n', 'docs/readme.md': 'docs\n', '.git/config': '[core]\n' });
});
afterEach(() => repo.cleanup());

async function applyDiff(diff: string, extra: { dry_run?: boolean } = {}, write = ['src/**']) {
  const records: ToolCallRecord[] = [];
  const { client, close } = await connectInMemory({ root: repo.root, grant: GrantSchema.parse({ tools: ['apply_diff'], read: ['**'], write }), onToolCall: (r) => records.push(r) });
  try {
    const result = await client.callTool({ name: 'apply_diff', arguments: { patch: diff, ...extra } });
    return { isError: result.isError === true, text: (result.content as { text: string }[])[0]!.text, out: result.structuredContent as Record<string, unknown>, records };
  } finally {
    await close();
  }
}

const edit = (file: string, from: string, to: string, before: string) => `--- a/${file}\n+++ b/${file}\n@@ -1,2 +1,2 @@\n ${before}\n-${from}\n+${to}\n`;

describe('apply_diff tool', () => {
  it('edits files in the write scope and records them in the audit log', async () => {
    const r = await applyDiff(edit('src/a.ts', 'two', 'TWO', 'one'));
    expect(r.isError).toBe(false);
    expect(await readFile(path.join(repo.root, 'src/a.ts'), 'utf8')).toBe('one\nTWO\nthree\n');
    expect(r.records[0]).toMatchObject({ tool: 'apply_diff', ok: true, filesWritten: ['src/a.ts'] });
    expect(r.text).toContain('src/a.ts: modify (+1 -1); hunk 1 at line 1');
    expect(r.out['files']).toEqual([expect.objectContaining({ added: 1, removed: 1, diff: expect.stringContaining('-two\n+TWO') })]);
  });

  it('refuses a file outside the write scope and writes none of the patch', async () => {
    const r = await applyDiff(edit('src/a.ts', 'two', 'TWO', 'one') + edit('docs/readme.md', 'docs', 'DOCS', '').replace('@@ -1,2 +1,2 @@\n \n', '@@ -1 +1 @@\n'));
    expect(r.isError).toBe(true);
    expect(r.text).toContain('outside this session\'s write scope');
    expect(await readFile(path.join(repo.root, 'src/a.ts'), 'utf8')).toBe('one\ntwo\nthree\n');
    expect(r.records[0]!.deniedPaths).toEqual(['docs/readme.md']);
  });

  it('never writes into .git, even with a write-everything grant', async () => {
    const r = await applyDiff('--- a/.git/config\n+++ b/.git/config\n@@ -1 +1 @@\n-[core]\n+[core] hooked\n', {}, ['**']);
    expect(r.isError).toBe(true);
    expect(await readFile(path.join(repo.root, '.git/config'), 'utf8')).toBe('[core]\n');
  });

  it('refuses to write through a symlink that leaves the root', async () => {
    await symlink(repo.outside, path.join(repo.root, 'src', 'escape'));
    const r = await applyDiff('--- /dev/null\n+++ b/src/escape/pwned.txt\n@@ -0,0 +1 @@\n+owned\n');
    expect(r.isError).toBe(true);
    expect(existsSync(path.join(repo.outside, 'pwned.txt'))).toBe(false);
  });

  it('leaves every file as it was when one hunk fails', async () => {
    const r = await applyDiff(edit('src/a.ts', 'two', 'TWO', 'one') + edit('src/b.ts', 'gamma', 'GAMMA', 'alpha'));
    expect(r.isError).toBe(true);
    expect(r.text).toContain('src/b.ts: hunk 1');
    expect(r.text).toContain('nothing was written');
    expect(await readFile(path.join(repo.root, 'src/a.ts'), 'utf8')).toBe('one\ntwo\nthree\n');
  });

  it('checks without writing on dry_run', async () => {
    const r = await applyDiff(edit('src/a.ts', 'two', 'TWO', 'one'), { dry_run: true });
    expect(r.out).toMatchObject({ applied: false, dry_run: true, files: [{ path: 'src/a.ts', action: 'modify' }] });
    expect(await readFile(path.join(repo.root, 'src/a.ts'), 'utf8')).toBe('one\ntwo\nthree\n');
  });

  it('creates and deletes files', async () => {
    const r = await applyDiff('--- /dev/null\n+++ b/src/new/c.ts\n@@ -0,0 +1,2 @@\n+export const c = 3;\n+export const d = 4;\n--- a/src/b.ts\n+++ /dev/null\n@@ -1,2 +0,0 @@\n-alpha\n-beta\n');
    expect(r.isError, r.text).toBe(false);
    expect(await readFile(path.join(repo.root, 'src/new/c.ts'), 'utf8')).toBe('export const c = 3;\nexport const d = 4;\n');
    expect(existsSync(path.join(repo.root, 'src/b.ts'))).toBe(false);
  });

  it('refuses a file that is not UTF-8 rather than corrupt it', async () => {
    await repo.write('src/latin1.txt', Buffer.from([0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const r = await applyDiff('--- a/src/latin1.txt\n+++ b/src/latin1.txt\n@@ -1 +1 @@\n-caf\uFFFD\n+cafe\n');
    expect(r.isError).toBe(true);
    expect(r.text).toContain('not UTF-8');
    expect([...(await readFile(path.join(repo.root, 'src/latin1.txt')))]).toEqual([0x63, 0x61, 0x66, 0xe9, 0x0a]);
  });

  it('says where each hunk went, how far its header was off and how it matched', async () => {
    const r = await applyDiff('--- a/src/a.ts\n+++ b/src/a.ts\n@@ -40,2 +40,2 @@\n   two\n-  three\n+  THREE\n');
    expect(r.isError, r.text).toBe(false);
    expect(await readFile(path.join(repo.root, 'src/a.ts'), 'utf8')).toBe('one\ntwo\nTHREE\n');
    expect(r.out['files']).toEqual([expect.objectContaining({ hunks: [{ index: 1, status: 'applied', line: 2, offset: -38, match: 'whitespace', trimmed_context: 0 }] })]);
    expect(r.text).toContain('hunk 1 at line 2 (the @@ header said 40) (matched ignoring whitespace)');
  });

  it('answers a hunk that does not match with the file lines to copy, and writes nothing', async () => {
    const r = await applyDiff('--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n one\n-TWO\n+2\n three\n');
    expect(r.isError).toBe(true);
    expect(r.text).toContain('the hunk expects "TWO" where line 2 is "two"');
    expect(r.text).toContain('    1\tone\n    2\ttwo\n    3\tthree');
    expect(r.records[0]!.filesWritten ?? []).toEqual([]);
  });

  it('turns a malformed diff into a result that says how to write one', async () => {
    const r = await applyDiff('change two to TWO please');
    expect(r.isError).toBe(true);
    expect(r.text).toContain('"--- a/path" and "+++ b/path"');
  });
});

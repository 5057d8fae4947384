import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { git } from '../git/run-git.ts';
import { commitHostileChange, SPOOFED_NAME, type HostileCommit } from './hostile-run-fixture.ts';
import { sideBySideDiff, type DiffFile } from './side-by-side-diff.ts';

const text = (cell: { tokens: { text: string }[] } | undefined) => cell?.tokens.map((t) => t.text).join('');

const DIFF = [
  'diff --git a/src/greet.ts b/src/greet.ts',
  'index 1111111..2222222 100644',
  '--- a/src/greet.ts',
  '+++ b/src/greet.ts',
  '@@ -1,4 +1,5 @@',
  ' export function greet(name: string) {',
  "-  return 'hi ' + name;",
  '+  // polite now',
  "+  return 'hello ' + name;",
  ' }',
  '+',
  'diff --git a/docs/new.md b/docs/new.md',
  'new file mode 100644',
  '--- /dev/null',
  '+++ b/docs/new.md',
  '@@ -0,0 +1 @@',
  '+# new',
  '',
].join('\n');

describe('sideBySideDiff', () => {
  const files = sideBySideDiff(DIFF);

  it('splits files and detects added files', () => {
    expect(files.map((f) => [f.newPath, f.status])).toEqual([
      ['src/greet.ts', 'modified'],
      ['docs/new.md', 'added'],
    ]);
  });

  it('pairs removed and added lines and numbers each side', () => {
    const rows = files[0]!.hunks[0]!.rows;
    expect(rows.map((r) => r.kind)).toEqual(['context', 'change', 'change', 'context', 'change']);
    expect([rows[1]!.left?.line, text(rows[1]!.left), rows[1]!.right?.line, text(rows[1]!.right)]).toEqual([2, "  return 'hi ' + name;", 2, '  // polite now']);
    expect(rows[2]!.left).toBeUndefined();
    expect([rows[2]!.right?.line, text(rows[2]!.right)]).toEqual([3, "  return 'hello ' + name;"]);
    expect([rows[3]!.left?.line, rows[3]!.right?.line]).toEqual([3, 4]);
    expect([rows[4]!.left, rows[4]!.right?.line, text(rows[4]!.right)]).toEqual([undefined, 5, '']);
  });

  it('highlights TS sides and leaves markdown plain', () => {
    const rows = files[0]!.hunks[0]!.rows;
    expect(rows[0]!.right?.tokens[0]).toEqual({ kind: 'keyword', text: 'export' });
    expect(rows[1]!.right?.tokens.at(-1)).toEqual({ kind: 'comment', text: '// polite now' });
    expect(files[1]!.hunks[0]!.rows[0]!.right?.tokens).toEqual([{ kind: 'plain', text: '# new' }]);
  });

  it('returns nothing for an empty diff', () => {
    expect(sideBySideDiff('')).toEqual([]);
  });
});

describe('sideBySideDiff on what git records for hostile file names', () => {
  let change: HostileCommit;
  let tmp: string;
  const show = async (config: string[]) => (await git([...config, 'show', '--format=', '--patch', change.commit], { cwd: change.repo })).stdout;
  const sections = (files: DiffFile[]) => files.map((f) => (f.oldPath === f.newPath ? f.newPath : `${f.oldPath} -> ${f.newPath}`));

  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), 'baton-diff-names-'));
    change = await commitHostileChange(tmp);
  });
  afterAll(() => rm(tmp, { recursive: true, force: true }));

  it('gives every changed file its own section, named as git names it', () => {
    const files = sideBySideDiff(change.diff, { changedFiles: change.files });
    expect(files.map((f) => f.problem ?? '').filter(Boolean)).toEqual([]);
    expect(files.flatMap((f) => (f.oldPath === f.newPath ? [f.newPath] : [f.oldPath, f.newPath])).sort()).toEqual(change.expectedPaths);
    // Every path git listed appears in exactly one section.
    for (const listed of change.files) expect(files.filter((f) => f.newPath === listed || f.oldPath === listed), listed).toHaveLength(1);
  });

  it('reads status, modes, binary and empty files', () => {
    const byPath = new Map(sideBySideDiff(change.diff, { changedFiles: change.files }).map((f) => [f.newPath, f]));
    const summary = (p: string) => {
      const f = byPath.get(p)!;
      return [f.status, f.binary, f.oldMode ?? '', f.newMode ?? '', f.hunks.length];
    };
    expect(summary('run.sh')).toEqual(['modified', false, '100644', '100755', 0]);
    expect(summary('image.bin')).toEqual(['modified', true, '', '', 0]);
    expect(summary('empty.txt')).toEqual(['added', false, '', '100644', 0]);
    expect(summary('gone "q".txt')).toEqual(['deleted', false, '100644', '', 1]);
    expect(summary('new name.txt')).toEqual(['renamed', false, '', '', 0]);
    expect(byPath.get('new name.txt')!.oldPath).toBe('old name.txt');
    expect(summary('dir with space/moved "q".ts')).toEqual(['renamed', false, '', '', 1]);
    expect(summary(SPOOFED_NAME)).toEqual(['added', false, '', '100644', 1]);
    expect(summary('has space.ts')).toEqual(['added', false, '', '100644', 1]);
    // No name keeps the tab git writes after names with spaces.
    expect([...byPath.keys()].filter((p) => p.endsWith('\t'))).toEqual([]);
  });

  it('keeps content that looks like headers inside its hunk', () => {
    const plain = sideBySideDiff(change.diff).find((f) => f.newPath === 'plain.ts')!;
    const rows = plain.hunks[0]!.rows;
    expect(rows.map((r) => [text(r.left), text(r.right)])).toEqual([
      ['export const a = 1;', 'export const a = 1;'],
      ['-- not a header', 'diff --git a/z b/z'],
      [undefined, '--- a/z'],
      [undefined, '+++ b/z'],
      [undefined, '@@ -1 +1 @@'],
      ['export const b = 2;', 'export const b = 2;'],
    ]);
    const moved = sideBySideDiff(change.diff).find((f) => f.newPath === 'dir with space/moved "q".ts')!;
    const changed = moved.hunks[0]!.rows.filter((r) => r.kind === 'change');
    expect(changed.map((r) => [r.left?.line, text(r.left), r.right?.line, text(r.right)])).toEqual([[5, 'export const line4 = 4;', 5, 'export const line4 = 40;']]);
  });

  it.each([
    ['core.quotePath on (octal escapes for non-ASCII)', ['-c', 'core.quotePath=true']],
    ['diff.noprefix', ['-c', 'diff.noprefix=true']],
  ])('reads the same sections from git show with %s', async (_what, config) => {
    const other = await show(config);
    expect(other).not.toBe(change.diff);
    const expected = sections(sideBySideDiff(change.diff, { changedFiles: change.files }));
    const files = sideBySideDiff(other, { changedFiles: change.files });
    expect(files.map((f) => f.problem ?? '').filter(Boolean)).toEqual([]);
    expect(sections(files)).toEqual(expected);
  });

  it('still gives a file a section, saying so, when its diff cannot be read', () => {
    // Cut the recorded diff in the middle of a hunk: the file there and every file after it.
    const lines = change.diff.split('\n');
    const cut = lines.indexOf('+diff --git a/z b/z');
    const files = sideBySideDiff(lines.slice(0, cut).join('\n'), { changedFiles: change.files });
    const plain = files.find((f) => f.newPath === 'plain.ts')!;
    expect(plain.problem).toContain('ends 6 line(s) early');
    expect(plain.raw?.at(-1)).toBe('--- not a header');
    const after = change.files.filter((p) => p > 'plain.ts');
    expect(after.length).toBeGreaterThan(3);
    for (const p of after) expect(files.find((f) => f.newPath === p)).toMatchObject({ status: 'unknown', problem: expect.stringContaining('git lists this file as changed') });
    for (const p of change.files) expect(files.filter((f) => f.newPath === p || f.oldPath === p), p).toHaveLength(1);
  });

  it('says so when a section names a file git did not list', () => {
    const files = sideBySideDiff(change.diff, { changedFiles: change.files.filter((p) => p !== 'run.sh') });
    expect(files.find((f) => f.newPath === 'run.sh')?.problem).toContain("not in git's list");
  });

  it('keeps text before the first file header', () => {
    const files = sideBySideDiff(`commit 123\n\n${change.diff}`, { changedFiles: change.files });
    expect(files[0]).toMatchObject({ problem: 'this text does not belong to any file header', raw: ['commit 123', ''] });
    expect(files).toHaveLength(sideBySideDiff(change.diff).length + 1);
  });
});

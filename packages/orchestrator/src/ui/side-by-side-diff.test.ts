import { describe, expect, it } from 'vitest';
import { sideBySideDiff } from './side-by-side-diff.ts';

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

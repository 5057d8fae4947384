// Header line numbers choose among equally good places only when the file's other hunks,
// placed by their text alone, agree with them.
import { describe, expect, it } from 'vitest';
import { applyHunks } from './apply-hunks.ts';
import { parsePatch } from './parse-patch.ts';

// "  return 0;\n}" appears twice: at lines 3-4 (in a) and 8-9 (in b).
const source = ['// header', 'function a() {', '  return 0;', '}', '', '// middle', 'function b() {', '  return 0;', '}', '', 'const tail = 1;', ''].join('\n');
const apply = (...body: string[]) => applyHunks(source, parsePatch(`--- a/f\n+++ b/f\n${body.join('\n')}\n`)[0]!.hunks);
const ambiguousHunk = (line: number) => [`@@ -${line},2 +${line},2 @@`, '-  return 0;', '+  return 1;', ' }'];

describe('line numbers as hints', () => {
  it('choose the candidate that the offset of the uniquely placed hunks predicts', () => {
    // Hunk 1 is really at line 11 but says 14 (offset -3); hunk 2 says 11, so it means line 8.
    const r = apply('@@ -14,1 +14,1 @@', '-const tail = 1;', '+const tail = 2;', ...ambiguousHunk(11));
    expect(r.ok && r.text).toBe(source.replace('const tail = 1;', 'const tail = 2;').replace('function b() {\n  return 0;', 'function b() {\n  return 1;'));
    expect(r.ok && r.hunks[1]).toMatchObject({ line: 8, byLineHint: true });
  });

  it('do not choose when the other hunks disagree with them', () => {
    const r = apply('@@ -14,1 +14,1 @@', '-const tail = 1;', '+const tail = 2;', ...ambiguousHunk(8));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.failures[0]).toMatchObject({ index: 2, reason: 'ambiguous' });
  });

  it('never choose on their own, even when they point exactly at one candidate', () => {
    const r = apply(...ambiguousHunk(8));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.failures[0]!.message).toContain('at lines 3, 8');
  });
});

// Line endings survive an edit line by line: mixed files stay mixed, the final newline stays.
import { describe, expect, it } from 'vitest';
import { applyHunks } from './apply-hunks.ts';
import { joinFileLines, splitFileLines } from './file-lines.ts';
import { parsePatch } from './parse-patch.ts';

const apply = (text: string, ...body: string[]) => applyHunks(text, parsePatch(`--- a/f\n+++ b/f\n${body.join('\n')}\n`)[0]!.hunks);

describe('splitFileLines / joinFileLines', () => {
  it('round-trips LF, CRLF, mixed and unterminated text byte for byte', () => {
    for (const text of ['', 'a', 'a\n', 'a\r\nb\r\n', 'a\nb\r\nc', '\n\n', 'x\r\n\r\ny\n']) expect(joinFileLines(splitFileLines(text))).toBe(text);
  });

  it('takes the most common ending as the file usual one', () => {
    expect(splitFileLines('a\r\nb\r\nc\n').dominant).toBe('\r\n');
    expect(splitFileLines('a\nb\r\nc\n').dominant).toBe('\n');
    expect(splitFileLines('no newline').dominant).toBe('\n');
  });
});

describe('line endings under an edit', () => {
  it('rewrites only the changed lines of a file with mixed endings', () => {
    const mixed = 'one\r\ntwo\r\nthree\nfour\r\nfive\n';
    const r = apply(mixed, '@@ -2,3 +2,3 @@', ' two', '-three', '+THREE', ' four');
    expect(r.ok && r.text).toBe('one\r\ntwo\r\nTHREE\nfour\r\nfive\n');
  });

  it('gives added lines the ending of the lines around them', () => {
    const r = apply('a\r\nb\r\nc\r\nd\n', '@@ -1,2 +1,3 @@', ' a', '+inserted', ' b');
    expect(r.ok && r.text).toBe('a\r\ninserted\r\nb\r\nc\r\nd\n');
  });

  it('appends after a last line that had no newline without adding one at the end', () => {
    const r = apply('a\r\nb', '@@ -1,2 +1,3 @@', ' a', ' b', '+c');
    expect(r.ok && r.text).toBe('a\r\nb\r\nc');
  });

  it('adds the final newline when the patch says the old side lacked it and the new side has it', () => {
    const r = apply('a\nb', '@@ -1,2 +1,2 @@', ' a', '-b', '\\ No newline at end of file', '+b');
    expect(r.ok && r.text).toBe('a\nb\n');
  });
});

describe('the final newline when the patch has no "\\ No newline" marker', () => {
  it('lets a kept line keep its own ending when the unterminated last line is deleted', () => {
    const r = apply('a\nb\nc', '@@ -1,3 +1,2 @@', ' a', ' b', '-c');
    expect(r.ok && r.text).toBe('a\nb\n');
  });

  it('ends a replaced last line the way the file ended', () => {
    const r = apply('a\nb', '@@ -1,2 +1,2 @@', ' a', '-b', '+B');
    expect(r.ok && r.text).toBe('a\nB');
  });
});

// Excerpts are read from the file itself and compared with what ripgrep saw.
import { describe, expect, it } from 'vitest';
import { matchExcerpt, MAX_EXCERPT_CHARS } from './match-excerpt.ts';
import type { RgMatch } from './rg-match.ts';

/** A file's bytes, and a match on the line starting at `offset`, as ripgrep would report it. */
function fixture(file: Buffer, lineStart: number, needle: string, options: { asBytes?: boolean } = {}) {
  const end = file.indexOf(0x0a, lineStart);
  const line = file.subarray(lineStart, end === -1 ? file.length : end + 1);
  const matchStart = line.indexOf(Buffer.from(needle));
  const match: RgMatch = {
    path: 'f',
    line: 1,
    offset: lineStart,
    content: options.asBytes ? { kind: 'bytes', bytes: Buffer.from(line) } : { kind: 'text', text: line.toString('utf8') },
    matchStart,
    matchEnd: matchStart + Buffer.byteLength(needle),
  };
  const readAt = (position: number, length: number) => file.subarray(position, position + length);
  return { match, readAt };
}

describe('matchExcerpt', () => {
  it('returns an ASCII line read from the file, with the column', () => {
    const file = Buffer.from('first\nconst needle = 1;\r\nlast\n');
    const { match, readAt } = fixture(file, 6, 'needle');
    expect(matchExcerpt(match, readAt)).toEqual({ text: 'const needle = 1;', column: 7, lossy: false });
  });

  it('counts the column in characters on a UTF-8 line', () => {
    const file = Buffer.from('héllo wörld needle\n');
    const { match, readAt } = fixture(file, 0, 'needle');
    expect(matchExcerpt(match, readAt)).toEqual({ text: 'héllo wörld needle', column: 13, lossy: false });
  });

  it('decodes a line that is not UTF-8 leniently and marks it', () => {
    const file = Buffer.concat([Buffer.from('Les hommes oubli'), Buffer.from([0xe9, 0x0a])]);
    const { match, readAt } = fixture(file, 0, 'hommes', { asBytes: true });
    expect(matchExcerpt(match, readAt)).toEqual({ text: 'Les hommes oubli\uFFFD', column: 5, lossy: true });
  });

  it('shortens a long line around the match', () => {
    const file = Buffer.from(`${'x'.repeat(5_000)} needle ${'y'.repeat(5_000)}\n`);
    const { match, readAt } = fixture(file, 0, 'needle');
    const excerpt = matchExcerpt(match, readAt)!;
    expect(excerpt.column).toBe(5_002);
    expect(excerpt.text).toContain('needle');
    expect(excerpt.text.startsWith('…') && excerpt.text.endsWith('…')).toBe(true);
    expect(excerpt.text.length).toBeLessThanOrEqual(MAX_EXCERPT_CHARS + 2);
  });

  it('returns nothing when the file no longer holds what ripgrep read there', () => {
    const seen = Buffer.from('const needle = 1;\n');
    const now = Buffer.from('TOPSECRET = 12345;\n');
    for (const asBytes of [false, true]) {
      const { match } = fixture(seen, 0, 'needle', { asBytes });
      expect(matchExcerpt(match, (position, length) => now.subarray(position, position + length))).toBeUndefined();
    }
    const multibyte = fixture(Buffer.from('é needle\n'), 0, 'needle');
    expect(matchExcerpt(multibyte.match, (p, l) => Buffer.from('e needlex\n').subarray(p, p + l))).toBeUndefined();
  });
});

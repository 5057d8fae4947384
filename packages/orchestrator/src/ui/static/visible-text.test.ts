import { describe, expect, it } from 'vitest';
import { escapeHiddenInJson, hasHiddenChars, visibleSegments, visibleText } from './visible-text.js';

// [what, input, single-line rendering, multi-line rendering]
const TABLE: [string, string, string, string][] = [
  ['plain ASCII', 'src/app.ts', 'src/app.ts', 'src/app.ts'],
  ['accents and CJK stay', 'src/résumé-日本.ts', 'src/résumé-日本.ts', 'src/résumé-日本.ts'],
  ['emoji with variation selector and ZWJ', 'ok ⚠️ 👨‍👩', 'ok ⚠️ 👨<U+200D>👩', 'ok ⚠️ 👨<U+200D>👩'],
  ['right-to-left override', 'src/résumé-\u202Egnp.exe', 'src/résumé-<U+202E>gnp.exe', 'src/résumé-<U+202E>gnp.exe'],
  ['left-to-right override', 'a\u202Db', 'a<U+202D>b', 'a<U+202D>b'],
  ['embeddings and pop', '\u202Ax\u202By\u202C', '<U+202A>x<U+202B>y<U+202C>', '<U+202A>x<U+202B>y<U+202C>'],
  ['isolates', '\u2066a\u2067b\u2068c\u2069', '<U+2066>a<U+2067>b<U+2068>c<U+2069>', '<U+2066>a<U+2067>b<U+2068>c<U+2069>'],
  ['LRM, RLM, Arabic letter mark', 'a\u200Eb\u200Fc\u061Cd', 'a<U+200E>b<U+200F>c<U+061C>d', 'a<U+200E>b<U+200F>c<U+061C>d'],
  ['zero-width space, non-joiner, word joiner, BOM', 'a\u200Bb\u200Cc\u2060d\uFEFFe', 'a<U+200B>b<U+200C>c<U+2060>d<U+FEFF>e', 'a<U+200B>b<U+200C>c<U+2060>d<U+FEFF>e'],
  ['soft hyphen', 'pass\u00ADword', 'pass<U+00AD>word', 'pass<U+00AD>word'],
  ['invisible math operators', 'f\u2061(x)\u2062y', 'f<U+2061>(x)<U+2062>y', 'f<U+2061>(x)<U+2062>y'],
  ['tag characters (astral)', 'hi\u{E0041}\u{E0042}', 'hi<U+E0041><U+E0042>', 'hi<U+E0041><U+E0042>'],
  ['Hangul fillers and grapheme joiner', 'a\u3164b\u115Fc\u034Fd', 'a<U+3164>b<U+115F>c<U+034F>d', 'a<U+3164>b<U+115F>c<U+034F>d'],
  ['unassigned default-ignorable', 'a\u2065b', 'a<U+2065>b', 'a<U+2065>b'],
  ['line and paragraph separators', 'a\u2028b\u2029c', 'a<U+2028>b<U+2029>c', 'a<U+2028>b<U+2029>c'],
  ['NUL, bell, backspace', 'a\u0000b\u0007c\bd', 'a<U+0000>b<U+0007>c<U+0008>d', 'a<U+0000>b<U+0007>c<U+0008>d'],
  ['terminal escape', '\u001b[2Jgone', '<U+001B>[2Jgone', '<U+001B>[2Jgone'],
  ['DEL and C1 (NEL, CSI)', 'a\u007Fb\u0085c\u009Bd', 'a<U+007F>b<U+0085>c<U+009B>d', 'a<U+007F>b<U+0085>c<U+009B>d'],
  ['tab', 'a\tb', 'a<U+0009>b', 'a\tb'],
  ['newline', 'a\nb', 'a<U+000A>b', 'a\nb'],
  ['CRLF kept only in multi-line text', 'a\r\nb', 'a<U+000D><U+000A>b', 'a\r\nb'],
  ['lone carriage return (overwrites a terminal line)', 'safe\rEVIL', 'safe<U+000D>EVIL', 'safe<U+000D>EVIL'],
  ['carriage return at the very end', 'a\r', 'a<U+000D>', 'a<U+000D>'],
  ['lone surrogate', 'a\uD800b', 'a<U+D800>b', 'a<U+D800>b'],
  ['a literal marker is left as it is', 'a<U+202E>b', 'a<U+202E>b', 'a<U+202E>b'],
  ['empty', '', '', ''],
];

describe('visibleText', () => {
  it.each(TABLE)('%s', (_what, input, single, multi) => {
    expect(visibleText(input)).toBe(single);
    expect(visibleText(input, { multiline: true })).toBe(multi);
    expect(hasHiddenChars(input)).toBe(single !== input);
  });

  it('decorates markers when asked', () => {
    expect(visibleText('a\u202Eb', { mark: (m, cp) => `[${m}:${cp.toString(16)}]` })).toBe('a[<U+202E>:202e]b');
  });

  it('splits into plain strings and markers', () => {
    expect(visibleSegments('x\u202Ey\u200B')).toEqual(['x', { marker: '<U+202E>', codePoint: 0x202e }, 'y', { marker: '<U+200B>', codePoint: 0x200b }]);
    expect(visibleSegments('')).toEqual(['']);
  });

  it('no raw hidden character survives, for every code point', () => {
    // Every BMP code point plus the tag block, one at a time between letters.
    for (let cp = 0; cp <= 0xe007f; cp = cp === 0xffff ? 0xe0000 : cp + 1) {
      const char = String.fromCodePoint(cp);
      const shown = visibleText(`a${char}b`);
      if (shown !== `a${char}b`) expect(shown).toBe(`a<U+${cp.toString(16).toUpperCase().padStart(4, '0')}>b`);
      else expect(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u.test(char), `U+${cp.toString(16)}`).toBe(false);
    }
  });
});

describe('escapeHiddenInJson', () => {
  it('escapes the characters but keeps the data', () => {
    const value = { title: 'src/résumé-\u202Egnp.exe', tag: 'x\u{E0041}', nl: 'a\nb', list: ['\u200B'] };
    const json = escapeHiddenInJson(JSON.stringify(value, null, 2));
    expect(json).toContain('src/résumé-\\u202egnp.exe');
    expect(json).toContain('x\\udb40\\udc41');
    expect(hasHiddenChars(json, { multiline: true })).toBe(false);
    expect(JSON.parse(json)).toEqual(value);
  });
});

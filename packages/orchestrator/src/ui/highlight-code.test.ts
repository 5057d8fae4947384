import { describe, expect, it } from 'vitest';
import { languageOf, tokenizeLine, tokenizeLines } from './highlight-code.ts';

const kinds = (line: string) => tokenizeLine(line, 'js').tokens.map((t) => [t.kind, t.text]);

describe('tokenizeLine', () => {
  it('classifies keywords, strings, numbers and line comments', () => {
    expect(kinds(`const x = 'a\\'b' + 42; // done`)).toEqual([
      ['keyword', 'const'],
      ['plain', ' x = '],
      ['string', `'a\\'b'`],
      ['plain', ' + '],
      ['number', '42'],
      ['plain', '; '],
      ['comment', '// done'],
    ]);
  });

  it('does not treat keywords inside identifiers or strings as keywords', () => {
    expect(kinds('constant("return")')).toEqual([
      ['plain', 'constant('],
      ['string', '"return"'],
      ['plain', ')'],
    ]);
  });

  it('keeps markup-looking text as text pieces that reassemble to the line', () => {
    const line = `const s = "<img src=x onerror=alert(1)>"; /* <b> */ x < y`;
    const { tokens } = tokenizeLine(line, 'js');
    expect(tokens.map((t) => t.text).join('')).toBe(line);
    expect(tokens.find((t) => t.text.includes('<img'))?.kind).toBe('string');
  });

  it('plain files are one plain token', () => {
    expect(tokenizeLine('if (x) return', 'plain').tokens).toEqual([{ kind: 'plain', text: 'if (x) return' }]);
  });
});

describe('tokenizeLines', () => {
  it('carries block comments and template strings across lines', () => {
    const lines = tokenizeLines(['a /* open', 'still comment */ return', 'const t = `x', 'y` + 1'], 'js');
    expect(lines[1]).toEqual([
      { kind: 'comment', text: 'still comment */' },
      { kind: 'plain', text: ' ' },
      { kind: 'keyword', text: 'return' },
    ]);
    expect(lines[3]?.[0]).toEqual({ kind: 'string', text: 'y`' });
    expect(lines[3]?.at(-1)).toEqual({ kind: 'number', text: '1' });
  });
});

describe('languageOf', () => {
  it('highlights TS/JS/JSON files only', () => {
    expect(languageOf('src/a.ts')).toBe('js');
    expect(languageOf('src/a.mjs')).toBe('js');
    expect(languageOf('README.md')).toBe('plain');
  });
});

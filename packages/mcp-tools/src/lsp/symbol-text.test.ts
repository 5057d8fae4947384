import { describe, expect, it } from 'vitest';
import { namePosition, shownContainer, shownName } from './symbol-text.ts';

const lines = ['export class Parser {', '  parse(input: string) {', '    return reparse(input);', '  }', '}'];
const range = (sl: number, sc: number, el: number, ec: number) => ({ start: { line: sl, character: sc }, end: { line: el, character: ec } });

describe('namePosition', () => {
  it('finds the name as a whole word inside a declaration span', () => {
    expect(namePosition(lines, 'Parser', range(0, 0, 4, 1))).toEqual({ line: 0, character: 13 });
    expect(namePosition(lines, 'parse', range(1, 2, 3, 3))).toEqual({ line: 1, character: 2 });
  });

  it('does not take a longer identifier for the name', () => {
    expect(namePosition(lines, 'parse', range(2, 0, 2, 30))).toEqual({ line: 2, character: 0 });
  });
});

describe('shownName', () => {
  it('keeps a name the file says near the symbol', () => {
    expect(shownName(lines, 'parse', range(1, 2, 1, 7))).toBe('parse');
  });

  it('replaces a name the file does not contain with the text the file has there', () => {
    expect(shownName(lines, 'TOKEN=abc123', range(1, 2, 1, 7))).toBe('parse');
    expect(shownName(lines, '<function>', range(3, 2, 3, 2))).toBe('(anonymous)');
  });
});

describe('shownContainer', () => {
  it('drops a container name the file does not contain', () => {
    expect(shownContainer(lines.join('\n'), 'Parser')).toBe('Parser');
    expect(shownContainer(lines.join('\n'), '"/home/someone/secret/module"')).toBeUndefined();
  });
});

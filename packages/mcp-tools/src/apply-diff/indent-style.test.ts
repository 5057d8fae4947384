// What counts as indentation a file has.
import { describe, expect, it } from 'vitest';
import { describeIndentStyle, fitsIndentStyle, spaceUnitOf } from './indent-style.ts';

const styleOf = (text: string) => describeIndentStyle(text.split('\n'));
const python = styleOf('def f():\n    if x:\n        return 1\n    return 0\n');
const goWithDocs = styleOf('/*\n * Package p.\n */\nfunc f() {\n\tif x {\n\t\treturn\n\t}\n\t/*\n\t * note\n\t */\n}\n');
const flat = styleOf('a = 1\nb = 2\n');

describe('describeIndentStyle', () => {
  it('finds the unit of space-indented files and ignores one-column alignment', () => {
    expect(python).toMatchObject({ tabLines: 0, spaceLines: 3, spaceUnit: 4 });
    expect(styleOf('a:\n  b:\n    c: 1\n  d: 2\n').spaceUnit).toBe(2);
    expect(goWithDocs).toMatchObject({ tabLines: 6, spaceLines: 0, widestSpaces: 1, widestAlignment: 1 });
    expect(spaceUnitOf([0, 4, 5, 5, 4, 8, 4])).toBe(4);
  });
});

describe('fitsIndentStyle', () => {
  const cases: [string, string, ReturnType<typeof styleOf>, boolean][] = [
    ['spaces in a space file', '        ', python, true],
    ['a tab in a space file', '\t', python, false],
    ['a tab and spaces in a space file', '\t    ', python, false],
    ['tabs in a tab file', '\t\t', goWithDocs, true],
    ['four spaces in a tab file', '    ', goWithDocs, false],
    ['the " * " column of a doc comment in a tab file', ' ', goWithDocs, true],
    ['a tab then one alignment space, as the file has', '\t ', goWithDocs, true],
    ['a tab then four spaces, wider than any alignment in the file', '\t    ', goWithDocs, false],
    ['a space before a tab', ' \t', goWithDocs, false],
    ['tabs in a file with no indentation yet', '\t', flat, true],
    ['spaces in a file with no indentation yet', '  ', flat, true],
    ['tabs and spaces mixed in a file with no indentation yet', '\t  ', flat, false],
  ];
  it.each(cases)('%s', (_name, indent, style, fits) => {
    expect(fitsIndentStyle(indent, style, style)).toBe(fits);
  });
});

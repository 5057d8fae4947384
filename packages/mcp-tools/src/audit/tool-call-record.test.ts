// summarizeArguments keeps audit records small at every depth.
import { describe, expect, it } from 'vitest';
import { summarizeArguments } from './tool-call-record.ts';

describe('summarizeArguments', () => {
  it('leaves small arguments alone', () => {
    const args = { path: 'src/a.ts', start_line: 3, flags: [true, null], nested: { ok: 'yes' } };
    expect(summarizeArguments(args)).toEqual(args);
  });

  it('shortens long strings at the top level and inside arrays and objects', () => {
    const long = 'x'.repeat(2000);
    const out = summarizeArguments({ diff: long, edits: [{ text: long }] });
    expect(out['diff']).toBe(`${'x'.repeat(512)}… [2000 chars]`);
    expect(out['edits']).toEqual([{ text: `${'x'.repeat(512)}… [2000 chars]` }]);
  });

  it('keeps the first 50 items of a long array and counts the rest', () => {
    const out = summarizeArguments({ paths: Array.from({ length: 120 }, (_, i) => `f${i}`) }) as { paths: string[] };
    expect(out.paths).toHaveLength(51);
    expect(out.paths[49]).toBe('f49');
    expect(out.paths[50]).toBe('… [70 more items]');
  });

  it('replaces nesting deeper than four levels with a placeholder', () => {
    const out = summarizeArguments({ a: { b: { c: { d: { e: { f: 1 }, g: 'kept' }, list: [[1]] } } } });
    expect(out).toEqual({ a: { b: { c: { d: { e: '[object]', g: 'kept' }, list: ['[array of 1]'] } } } });
  });
});

// Whitespace-tolerant matches must keep the file's nesting.
import { describe, expect, it } from 'vitest';
import { applyHunks } from './apply-hunks.ts';
import { indentationAgrees } from './indentation-agrees.ts';
import { parsePatch } from './parse-patch.ts';

describe('indentationAgrees', () => {
  const file = ['if (a) {', '    run();', '    if (b)', '        stop();', '}'];
  it('accepts a uniform shift and tabs typed as spaces', () => {
    expect(indentationAgrees(['  if (a) {', '      run();'], file, 0)).toBe(true);
    expect(indentationAgrees(['\trun();', '\tif (b)', '\t\tstop();'], file, 1)).toBe(true);
  });

  it('refuses lines that disagree about nesting', () => {
    expect(indentationAgrees(['    run();', '        if (b)'], file, 1)).toBe(false);
    expect(indentationAgrees(['    if (b)', '    stop();'], file, 2)).toBe(false);
  });
});

describe('a whitespace-tolerant match that would misplace an edit', () => {
  it('is not taken when only a different nesting makes the lines line up', () => {
    // The model meant the first block (where "if (note) {" has one more line inside) and left
    // a line out; the second block matches the text but not the hunk's indentation.
    const text = ['function a() {', '    if (space)', '        mark();', '    if (note) {', '        check();', '            setNote();', '    }', '}', 'function b() {', '    if (space)', '        mark();', '    if (note) {', '        setNote();', '    }', '}', ''].join('\n');
    const r = applyHunks(text, parsePatch('--- a/f\n+++ b/f\n@@ @@\n     if (space)\n         mark();\n+        log();\n     if (note) {\n             setNote();\n')[0]!.hunks);
    expect(r.ok).toBe(false);
  });
});

describe('indentationAgrees with tabs against spaces', () => {
  it('lines up a tab-indented doc comment and body with a file indented by four spaces', () => {
    const spaced = ['    /**', '     * Runs.', '     */', '    run() {', '        return 1;', '    }'];
    expect(indentationAgrees(['\t/**', '\t * Runs.', '\t */', '\trun() {', '\t\treturn 1;', '\t}'], spaced, 0)).toBe(true);
    expect(indentationAgrees(['\t/**', '\t * Runs.', '\t */', '\trun() {', '\treturn 1;', '\t}'], spaced, 0)).toBe(false);
  });
});

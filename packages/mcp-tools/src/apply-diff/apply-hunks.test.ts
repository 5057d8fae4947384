// The placement rules on the kinds of imperfect diffs models write, and the refusals that keep
// an edit from ever landing in the wrong place.
import { describe, expect, it } from 'vitest';
import { applyHunks } from './apply-hunks.ts';
import { parsePatch } from './parse-patch.ts';
import { planPatch } from './plan-patch.ts';

const source = ['import x from "x";', '', 'function a() {', '  return 1;', '}', '', 'function b() {', '  return 2;', '}', '', 'export { a, b };', ''].join('\n');

function apply(text: string, patch: string) {
  return applyHunks(text, parsePatch(patch)[0]!.hunks);
}

const diff = (...hunks: string[]) => `--- a/f.ts\n+++ b/f.ts\n${hunks.join('\n')}\n`;

describe('applyHunks', () => {
  it('applies a correct hunk exactly', () => {
    const r = apply(source, diff('@@ -7,3 +7,3 @@', ' function b() {', '-  return 2;', '+  return 20;', ' }'));
    expect(r.ok && r.text).toBe(source.replace('return 2;', 'return 20;'));
    expect(r.ok && r.hunks[0]).toMatchObject({ status: 'applied', line: 7, match: 'exact' });
  });

  it('ignores wrong line numbers and counts', () => {
    const r = apply(source, diff('@@ -90,17 +90,2 @@', ' function b() {', '-  return 2;', '+  return 20;', ' }'));
    expect(r.ok && r.text).toBe(source.replace('return 2;', 'return 20;'));
  });

  it('accepts a header without numbers and hunks out of order', () => {
    const r = apply(source, diff('@@ @@', ' function b() {', '-  return 2;', '+  return 20;', '@@ -3,3 +3,3 @@', ' function a() {', '-  return 1;', '+  return 10;'));
    expect(r.ok && r.text).toBe(source.replace('return 2;', 'return 20;').replace('return 1;', 'return 10;'));
  });

  it('places a hunk whose indentation drifted, re-indenting the added lines', () => {
    const r = apply(source, diff('@@ -7,3 +7,4 @@', ' function b() {', '-    return 2;', '+    const two = 2;', '+    return two;', ' }'));
    expect(r.ok && r.text).toContain('function b() {\n  const two = 2;\n  return two;\n}');
    expect(r.ok && r.hunks[0]).toMatchObject({ match: 'whitespace' });
  });

  it('tolerates trailing whitespace differences', () => {
    const r = apply(source.replace('return 2;', 'return 2;   '), diff('@@ -8 +8 @@', ' function b() {', '-  return 2;', '+  return 3;', ' }'));
    expect(r.ok && r.text).toContain('  return 3;\n}');
  });

  it('drops edge context lines that are not in the file when the rest anchors uniquely', () => {
    const r = apply(source, diff('@@ -6,5 +6,5 @@', ' // a comment the model imagined', ' function b() {', '-  return 2;', '+  return 22;', ' }'));
    expect(r.ok && r.text).toContain('return 22;');
    expect(r.ok && r.hunks[0]).toMatchObject({ trimmedContext: 1 });
  });

  it('applies LF patches to CRLF files and keeps CRLF', () => {
    const crlf = source.replace(/\n/g, '\r\n');
    const r = apply(crlf, diff('@@ -7,3 +7,3 @@', ' function b() {', '-  return 2;', '+  return 20;', ' }'));
    expect(r.ok && r.text).toBe(crlf.replace('return 2;', 'return 20;'));
  });

  it('reports a hunk that is already applied instead of applying it twice', () => {
    const once = source.replace('  return 2;\n', '  return 2;\n  // checked\n');
    const r = apply(once, diff('@@ -7,3 +7,4 @@', ' function b() {', '   return 2;', '+  // checked', ' }'));
    expect(r.ok && r.text).toBe(once);
    expect(r.ok && r.hunks[0]).toMatchObject({ status: 'already_applied' });
  });

  it('refuses a hunk that matches more than one place', () => {
    const twice = `${source}function c() {\n  return 2;\n}\n`;
    const r = apply(twice, diff('@@ -8,2 +8,2 @@', '-  return 2;', '+  return 5;', ' }'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.failures[0]).toMatchObject({ reason: 'ambiguous' });
    expect(!r.ok && r.failures[0]!.message).toContain('lines 8, 13');
  });

  it('does not drop context to turn an ambiguous hunk into a guess', () => {
    const twice = `${source}function c() {\n  return 2;\n}\n`;
    // "function z() {" exists nowhere; without it the rest matches twice: refuse.
    const r = apply(twice, diff('@@ -7,3 +7,3 @@', ' function z() {', '-  return 2;', '+  return 5;', ' }'));
    expect(r.ok).toBe(false);
  });

  it('refuses a hunk whose lines are not in the file and points at the closest text', () => {
    const r = apply(source, diff('@@ -7,3 +7,3 @@', ' function b() {', '-  return 99;', '+  return 5;', ' }'));
    expect(!r.ok && r.failures[0]).toMatchObject({ reason: 'not_found' });
    expect(!r.ok && r.failures[0]!.message).toContain('closest text is at line 7');
  });

  it('quotes the file lines where a failed hunk came closest and names the first line that differs', () => {
    const r = apply(source, diff('@@ -7,3 +7,3 @@', ' function b() {', '-  return 99;', '+  return 5;', ' }'));
    const message = !r.ok ? r.failures[0]!.message : '';
    expect(message).toContain('the hunk expects "return 99;" where line 8 is "return 2;"');
    expect(message).toContain('    7\tfunction b() {\n    8\t  return 2;\n    9\t}');
    expect(message).toContain('read_file (start_line 5)');
  });

  it('does not call a pure deletion already applied on the strength of one context line', () => {
    const r = apply(source, diff('@@ -4,2 +4,1 @@', '-  return 42;', ' }'));
    expect(r.ok).toBe(false);
  });

  it('calls a pure deletion already applied when its surrounding context is joined up', () => {
    const r = apply(source, diff('@@ -7,4 +7,3 @@', ' function b() {', '-  console.log(2);', '   return 2;', ' }'));
    expect(r.ok && r.hunks[0]).toMatchObject({ status: 'already_applied' });
  });

  it('does not call a deletion already applied when its only context is braces', () => {
    const nested = 'function f() {\n  if (a) {\n    run();\n  }\n}\n';
    const r = apply(nested, diff('@@ -3,3 +3,2 @@', '   }', '-    stop();', ' }'));
    expect(r.ok).toBe(false);
  });

  it('does not call a hunk already applied while its removed lines still stand next to where it was found', () => {
    // The model cut a context line out of the middle, so the old side is not found; its new
    // side is, but the line it removes is right there: the change is not made.
    const text = ['function f() {', '  setup();', '  return x;', '}', 'function g() {', '  setup();', '  check(x);', '  audit();', '  return x;', '}', ''].join('\n');
    const r = apply(text, diff('@@ -6,4 +6,3 @@', '   setup();', '-  check(x);', '   return x;'));
    // "setup(); return x;" joined up is f's body, but check(x) stands right below it: not applied
    // there. With the last context line dropped the hunk pins g, which is where the edit goes.
    expect(r.ok && r.hunks[0]).toMatchObject({ status: 'applied', line: 6, trimmedContext: 1 });
    expect(r.ok && r.text).toBe(text.replace('  check(x);\n', ''));
  });

  it('does not call a hunk already applied while a common removed line ("return;") still stands next to where it was found', () => {
    // As above, with a removed line found elsewhere in the file too: a copy right beside the
    // joined-up context still says the change is not made there.
    const filler = Array.from({ length: 20 }, (_, i) => `const pad${i} = ${i};`);
    const text = ['function f() {', '  setup();', '  done();', '}', 'function g() {', '  setup();', '  return;', '  audit();', '  done();', '}', ...filler, 'function h() {', '  return;', '}', ''].join('\n');
    const r = apply(text, diff('@@ -6,3 +6,2 @@', '   setup();', '-  return;', '   done();'));
    expect(r.ok && r.hunks[0]).toMatchObject({ status: 'applied', line: 6 });
    expect(r.ok && r.text).toBe(text.replace('  setup();\n  return;\n', '  setup();\n'));
  });

  it('does not apply a change already made at one place to a twin block that still has the old lines', () => {
    // The patch was applied before, at the first block; the second block is a copy that still
    // reads like the old side. The header points at the first: this is a repeat, not an edit.
    const block = (name: string, value: string) => [`function ${name}() {`, '  const cache = {};', `  cache.key = ${value};`, '  return cache;', '}'];
    const text = [...block('a', 'next'), '', ...block('b', 'bound'), ''].join('\n');
    const r = apply(text, diff('@@ -1,4 +1,4 @@', '   const cache = {};', '-  cache.key = bound;', '+  cache.key = next;', '   return cache;'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.failures[0]!.message).toContain('already made at line 2');
  });

  it('still applies a change that makes a block like its twin when the header points at it', () => {
    const block = (name: string, value: string) => [`function ${name}() {`, '  const cache = {};', `  cache.key = ${value};`, '  return cache;', '}'];
    const text = [...block('a', 'next'), '', ...block('b', 'bound'), ''].join('\n');
    const r = apply(text, diff('@@ -8,3 +8,3 @@', '   const cache = {};', '-  cache.key = bound;', '+  cache.key = next;', '   return cache;'));
    expect(r.ok && r.text).toBe(text.replace('bound', 'next'));
  });

  it('does not take a single thin line\'s one exact match when the model\'s drift may have made it', () => {
    // "\t\t} else {" drifted by a tab is exactly the deeper "} else {"; its look-alikes at other
    // depths are as likely.
    const text = ['function f(a, b) {', '\tif (a) {', '\t\tif (b) {', '\t\t\tone();', '\t\t} else {', '\t\t\tif (c) {', '\t\t\t\ttwo();', '\t\t\t} else {', '\t\t\t\tthree();', '\t\t\t}', '\t\t}', '\t} else {', '\t\tfour();', '\t}', '}', ''].join('\n');
    const r = apply(text, diff('@@ @@', '-\t\t\t} else {', '+\t\t\t} else if (d) {'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.failures[0]).toMatchObject({ reason: 'ambiguous' });
  });

  it('does not drop a context line that names another block to line the rest up with a look-alike', () => {
    // The model left "coerce: true," out of its context; without the first line the rest is
    // exactly the function above, but that first line names the function below.
    const text = ['export function plain(Class, params) {', '    return new Class({', '        type: "date",', '        ...normalize(params),', '    });', '}', 'export function coerced(Class, params) {', '    return new Class({', '        type: "date",', '        coerce: true,', '        ...normalize(params),', '    });', '}', ''].join('\n');
    const r = apply(text, diff('@@ @@', ' export function coerced(Class, params) {', '     return new Class({', '+        check(params);', '         type: "date",', '         ...normalize(params),'));
    // Dropping the last line instead keeps the function's name: the edit goes where it belongs.
    expect(r.ok && r.text).toBe(text.replace('coerced(Class, params) {\n    return new Class({\n', 'coerced(Class, params) {\n    return new Class({\n        check(params);\n'));
  });

  it('does not drop a context line when a look-alike of the rest stands between it and the match', () => {
    const yaml = ['jobs:', '  first:', '    runs-on: ubuntu-latest', '    steps:', '      - name: Checkout', '        uses: actions/checkout@v5', '        with:', '          ref: main', '          persist-credentials: false', '  second:', '    runs-on: ubuntu-latest', '    steps:', '      - name: Checkout', '        uses: actions/checkout@v5', '        with:', '          persist-credentials: false', ''].join('\n');
    const r = applyHunks(yaml, parsePatch(['--- a/ci.yml', '+++ b/ci.yml', '@@ -1,9 +1,10 @@', ' jobs:', '     runs-on: ubuntu-latest', '+    timeout-minutes: 5', '     steps:', '       - name: Checkout', '         uses: actions/checkout@v5', '         with:', '           persist-credentials: false', ''].join('\n'))[0]!.hunks);
    expect(r.ok).toBe(false);
  });

  it('does not let a patch typed one tab too deep land a hunk exactly on a twin block one level in', () => {
    // Both hunks carry an extra tab. The first can only mean setup(); the second, shifted back,
    // means the outer return, but as typed it is exactly the inner one.
    const text = ['function setup() {', '\tconst a = load();', '\tconst b = parse(a);', '\treturn b;', '}', 'function pick(x) {', '\tif (x) {', '\t\treturn {', '\t\t\tstyles,', '\t\t\tposition,', '\t\t};', '\t}', '\treturn {', '\t\tstyles,', '\t\tposition,', '\t};', '}', ''].join('\n');
    const r = apply(text, diff('@@ @@', ' \t\tconst a = load();', '-\t\tconst b = parse(a);', '+\t\tconst b = parse(a, true);', ' \t\treturn b;', '@@ @@', ' \t\treturn {', ' \t\t\tstyles,', '-\t\t\tposition,', '+\t\t\tplace,', ' \t\t};'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.failures[0]).toMatchObject({ index: 2, reason: 'ambiguous' });
  });

  it('does not let what is left of an imperfect hunk win by matching a twin block exactly', () => {
    // One context line is wrong, so the hunk is off anyway; what is left of it, one tab too
    // deep, is exactly the inner return but also the outer one shifted: no telling which.
    const text = ['function pick(x) {', '\tif (x) {', '\t\treturn {', '\t\t\tstyles,', '\t\t\tposition,', '\t\t};', '\t}', '\treturn {', '\t\tstyles,', '\t\tposition,', '\t};', '}', ''].join('\n');
    const r = apply(text, diff('@@ @@', ' \t\treturn {', ' \t\t\tstyles,', '-\t\t\tposition,', '+\t\t\tplace,', ' \t\t\tsize,'));
    expect(r.ok).toBe(false);
    expect(!r.ok && r.failures[0]).toMatchObject({ reason: 'ambiguous' });
  });

  it('reports the line number the hunk header gave next to where it was placed', () => {
    const r = apply(source, diff('@@ -20,3 +20,3 @@', ' function b() {', '-  return 2;', '+  return 20;', ' }'));
    expect(r.ok && r.hunks[0]).toMatchObject({ line: 7, hintLine: 20 });
  });

  it('refuses overlapping hunks', () => {
    const r = apply(source, diff('@@ -7,2 +7,2 @@', ' function b() {', '-  return 2;', '+  return 3;', '@@ -8,2 +8,2 @@', '-  return 2;', '+  return 4;', ' }'));
    expect(r.ok).toBe(false);
  });

  it('honours "no newline at end of file"', () => {
    const r = apply('a\nb\nc\n', '--- a/f\n+++ b/f\n@@ -2,2 +2,2 @@\n b\n-c\n+d\n\\ No newline at end of file\n');
    expect(r.ok && r.text).toBe('a\nb\nd');
  });
});

describe('planPatch', () => {
  const files: Record<string, string> = { 'src/a.ts': 'one\ntwo\nthree\n', 'old.txt': 'bye\n' };
  const read = async (p: string) => files[p];

  it('plans creates, modifies and deletes across files', async () => {
    const plan = await planPatch(
      '--- /dev/null\n+++ b/new.txt\n@@ -0,0 +1,2 @@\n+hello\n+world\n--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n--- a/old.txt\n+++ /dev/null\n@@ -1 +0,0 @@\n-bye\n',
      read,
    );
    expect(plan.ok && plan.changes.map((c) => [c.path, c.action])).toEqual([['new.txt', 'create'], ['src/a.ts', 'modify'], ['old.txt', 'delete']]);
    expect(plan.ok && plan.changes[0]!.action === 'create' && plan.changes[0]!.after).toBe('hello\nworld\n');
  });

  it('fails the whole patch when one file fails', async () => {
    const plan = await planPatch('--- a/src/a.ts\n+++ b/src/a.ts\n@@ -1,3 +1,3 @@\n one\n-two\n+TWO\n three\n--- a/old.txt\n+++ b/old.txt\n@@ -1 +1 @@\n-hello\n+hi\n', read);
    expect(plan.ok).toBe(false);
    expect(!plan.ok && plan.problems.map((p) => p.path)).toEqual(['old.txt']);
  });

  it('explains syntax errors', async () => {
    expect(await planPatch('please change line 3', read)).toMatchObject({ ok: false, syntax: expect.stringContaining('no file headers') });
  });
});

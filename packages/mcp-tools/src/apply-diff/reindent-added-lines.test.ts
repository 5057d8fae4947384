// Tabs against spaces: a hunk written in another indentation style than the file's is placed,
// and its added lines are written in the file's own unit and depth — or refused — never in the
// patch's style.
import { describe, expect, it } from 'vitest';
import { planPatch } from './plan-patch.ts';

const read = (files: Record<string, string>) => async (p: string) => files[p];
async function patched(file: string, text: string, patch: string): Promise<string | undefined> {
  const plan = await planPatch(patch, read({ [file]: text }));
  const change = plan.ok ? plan.changes[0] : undefined;
  return change?.action === 'modify' ? change.after : undefined;
}
async function failure(file: string, text: string, patch: string): Promise<string | undefined> {
  const plan = await planPatch(patch, read({ [file]: text }));
  return plan.ok ? undefined : plan.problems.flatMap((p) => p.failures.map((f) => f.message)).join('\n');
}
const block = (file: string, search: string[], replace: string[]) => [file, '<<<<<<< SEARCH', ...search, '=======', ...replace, '>>>>>>> REPLACE', ''].join('\n');
const unified = (file: string, ...lines: string[]) => [`--- a/${file}`, `+++ b/${file}`, '@@ @@', ...lines, ''].join('\n');

const python = ['def sign(x):', '    if x > 0:', '        return 1', '    return 0', ''].join('\n');

describe('a tab-indented patch on a file indented with spaces', () => {
  it('writes a search/replace block in the file\'s four spaces, not tabs (no TabError)', async () => {
    const after = await patched('sign.py', python, block('sign.py', ['\tif x > 0:', '\t\treturn 1'], ['\tif x > 0:', '\t\treturn 2']));
    expect(after).toBe(python.replace('return 1', 'return 2'));
  });

  it('writes a unified hunk\'s added line at the removed line\'s depth, without mixing a tab into spaces', async () => {
    const after = await patched('sign.py', python, unified('sign.py', '-\treturn 0', '+\treturn -1'));
    expect(after).toBe(python.replace('return 0', 'return -1'));
  });
});

const jsTwo = ['export function run(items) {', '  for (const item of items) {', '    if (item.ok) {', '      send(item);', '    }', '  }', '}', ''].join('\n');

describe('tabs in the patch, spaces in the file', () => {
  it('writes lines deeper than any unchanged line in the file\'s own unit (two spaces)', async () => {
    const after = await patched('run.js', jsTwo, unified('run.js', ' \t\tif (item.ok) {', '-\t\t\tsend(item);', '+\t\t\tif (item.retry) {', '+\t\t\t\tqueue(item);', '+\t\t\t}', ' \t\t}'));
    expect(after).toBe(jsTwo.replace('      send(item);', '      if (item.retry) {\n        queue(item);\n      }'));
  });

  it('takes a tab for one level of four spaces even when all unchanged lines stand at one depth', async () => {
    const after = await patched('sign.py', python, unified('sign.py', '-\treturn 0', '+\tif x < 0:', '+\t\treturn -1', '+\treturn 0'));
    expect(after).toBe(python.replace('    return 0', '    if x < 0:\n        return -1\n    return 0'));
  });

  it('undoes a drift of one tab as well as the change of unit', async () => {
    const after = await patched('sign.py', python, block('sign.py', ['\t\tif x > 0:', '\t\t\treturn 1'], ['\t\tif x > 0:', '\t\t\treturn 2', '\t\treturn 0']));
    expect(after).toBe(python.replace('return 1\n    return 0', 'return 2\n    return 0\n    return 0'));
  });

  it('writes a YAML block in its two spaces (tabs are not YAML indentation)', async () => {
    const yaml = ['jobs:', '  test:', '    steps:', '      - run: npm ci', '      - run: npm test', ''].join('\n');
    const after = await patched('ci.yml', yaml, unified('ci.yml', ' \t\tsteps:', ' \t\t\t- run: npm ci', '+\t\t\t- name: lint', '+\t\t\t  run: npm run lint', ' \t\t\t- run: npm test'));
    expect(after).toBe(yaml.replace('      - run: npm test', '      - name: lint\n        run: npm run lint\n      - run: npm test'));
  });

  it('keeps the alignment space of a doc comment, so "/**" lines up with its " * " lines', async () => {
    const java = ['class A {', '    /**', '     * Runs.', '     */', '    run() {', '        return 1;', '    }', '}', ''].join('\n');
    const after = await patched('A.java', java, unified('A.java', ' \t/**', '-\t * Runs.', '+\t * Runs once.', '+\t * Then stops.', ' \t */', ' \trun() {', '-\t\treturn 1;', '+\t\treturn 2;', ' \t}'));
    expect(after).toBe(java.replace('     * Runs.', '     * Runs once.\n     * Then stops.').replace('return 1', 'return 2'));
  });

  it('converts a tab typed only in the added lines, the unchanged lines being exact', async () => {
    const after = await patched('sign.py', python, unified('sign.py', '     if x > 0:', '-        return 1', '+\t\treturn 2'));
    expect(after).toBe(python.replace('return 1', 'return 2'));
  });
});

const go = ['package main', '', 'func sign(x int) int {', '\tif x > 0 {', '\t\treturn 1', '\t}', '\treturn 0', '}', ''].join('\n');

describe('spaces in the patch, tabs in the file', () => {
  it('writes a Go block with tabs, one per level of the patch\'s four spaces', async () => {
    const after = await patched('sign.go', go, unified('sign.go', ' func sign(x int) int {', '     if x > 0 {', '         return 1', '     }', '+    if x < 0 {', '+        return -1', '+    }', '     return 0'));
    expect(after).toBe(go.replace('\t}\n\treturn 0', '\t}\n\tif x < 0 {\n\t\treturn -1\n\t}\n\treturn 0'));
  });

  it('reads a two-space patch as two spaces per tab', async () => {
    const after = await patched('sign.go', go, unified('sign.go', '   if x > 0 {', '-    return 1', '+    if debug {', '+      log(x)', '+    }', '+    return 1', '   }'));
    expect(after).toBe(go.replace('\t\treturn 1', '\t\tif debug {\n\t\t\tlog(x)\n\t\t}\n\t\treturn 1'));
  });

  it('reads the step of a block typed with spaces among exact tab-indented lines as one tab', async () => {
    const after = await patched('sign.go', go, unified('sign.go', ' \tif x > 0 {', ' \t\treturn 1', '+        if y {', '+            return 2', '+        }', ' \t}'));
    expect(after).toBe(go.replace('\t\treturn 1\n', '\t\treturn 1\n\t\tif y {\n\t\t\treturn 2\n\t\t}\n'));
  });

  it('takes the unit from the whole file, not from the few lines matched (which may skip a level)', async () => {
    // The matched lines step from twelve spaces to four: eight is not this file's level.
    const py = ['def f(a, b, c):', '    if a:', '        if b:', '            x = 1', '    y = 2', '    if c:', '        z = 3', '    return x', ''].join('\n');
    const after = await patched('f.py', py, unified('f.py', '             x = 1', '     y = 2', '+\tif y:', '+\t\tw = 4', '     if c:'));
    expect(after).toBe(py.replace('    y = 2\n', '    y = 2\n    if y:\n        w = 4\n'));
  });

  it('refuses a Makefile recipe line typed with spaces, naming the tabs the file uses', async () => {
    const make = ['build:', '\tmkdir -p out', '\tcc -o out/app main.c', '', 'clean:', '\trm -rf out', ''].join('\n');
    const message = await failure('Makefile', make, unified('Makefile', ' build:', ' \tmkdir -p out', '+    cc -c util.c', ' \tcc -o out/app main.c'));
    expect(message).toContain('adds lines indented with spaces, but the file is indented with tabs there');
  });

  it('writes the recipe line with a tab when the whole hunk was typed with four spaces', async () => {
    const make = ['build:', '\tmkdir -p out', '\tcc -o out/app main.c', '', 'clean:', '\trm -rf out', ''].join('\n');
    const after = await patched('Makefile', make, unified('Makefile', ' build:', '     mkdir -p out', '+    cc -c util.c', '     cc -o out/app main.c'));
    expect(after).toBe(make.replace('\tmkdir -p out\n', '\tmkdir -p out\n\tcc -c util.c\n'));
  });
});

describe('files that mix tabs and spaces', () => {
  const mixed = ['function tabbed() {', '\tif (a) {', '\t\tone();', '\t}', '}', '', 'function spaced() {', '    if (b) {', '        two();', '    }', '}', ''].join('\n');

  it('follows the function being edited: spaces in the space-indented one', async () => {
    const after = await patched('m.js', mixed, unified('m.js', ' \tif (b) {', '-\t\ttwo();', '+\t\ttwo(1);', '+\t\tthree();', ' \t}'));
    expect(after).toBe(mixed.replace('        two();', '        two(1);\n        three();'));
  });

  it('and tabs in the tab-indented one', async () => {
    const after = await patched('m.js', mixed, unified('m.js', '     if (a) {', '-        one();', '+        one(1);', '+        three();', '     }'));
    expect(after).toBe(mixed.replace('\t\tone();', '\t\tone(1);\n\t\tthree();'));
  });
});

describe('refusing instead of guessing', () => {
  it('refuses when the unchanged lines disagree about what a tab stands for', async () => {
    // The model flattened its context to one tab: its middle lines match (both at eight
    // spaces) once the edge lines are dropped, but those edge lines are right there at four and
    // twelve spaces, so "\t" stands for no one depth and neither does the added line's.
    const file = ['function f() {', '    if (max >= 0) {', '        data.count += 1;', '        if (data.aliasCount === 0)', '            data.aliasCount = count(doc);', '    }', '}', ''].join('\n');
    const message = await failure('a.js', file, unified('a.js', ' \tif (max >= 0) {', '+\t    check(data);', ' \tdata.count += 1;', ' \tif (data.aliasCount === 0)', ' \tdata.aliasCount = count(doc);'));
    expect(message).toContain('hunk 1 adds lines indented with tabs and spaces, but the file is indented with 4 spaces per level there');
  });

  it('never writes a tab into a file indented only with spaces', async () => {
    const after = await patched('sign.py', python, unified('sign.py', '     if x > 0:', '         return 1', '+\t  \tpass'));
    expect(after === undefined || !after.includes('\t')).toBe(true);
  });
});

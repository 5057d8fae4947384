// The three dialects read into one edit form, and the tiers added for them: typographic
// characters, omitted unchanged lines, V4A anchors choosing among matches, BOM kept.
import { describe, expect, it } from 'vitest';
import { planPatch } from './plan-patch.ts';

const source = ['export function a() {', '  return "one";', '}', '', 'export function b() {', '  return "two";', '}', ''].join('\n');
const read = (files: Record<string, string>) => async (p: string) => files[p];
const after = (plan: Awaited<ReturnType<typeof planPatch>>, i = 0) => (plan.ok && plan.changes[i]!.action !== 'unchanged' && plan.changes[i]!.action !== 'delete' ? (plan.changes[i] as { after: string }).after : undefined);

describe('search/replace blocks', () => {
  it('replaces the one place the search text matches', async () => {
    const plan = await planPatch('src/f.ts\n<<<<<<< SEARCH\nexport function b() {\n  return "two";\n=======\nexport function b() {\n  return "TWO";\n>>>>>>> REPLACE\n', read({ 'src/f.ts': source }));
    expect(plan.ok && plan.dialect).toBe('search_replace');
    expect(after(plan)).toBe(source.replace('"two"', '"TWO"'));
  });

  it('creates a file from an empty search and refuses an ambiguous one', async () => {
    const created = await planPatch('new.ts\n<<<<<<< SEARCH\n=======\nexport const x = 1;\n>>>>>>> REPLACE\n', read({}));
    expect(created.ok && created.changes[0]).toMatchObject({ action: 'create', after: 'export const x = 1;\n' });
    const ambiguous = await planPatch('src/f.ts\n<<<<<<< SEARCH\n}\n=======\n};\n>>>>>>> REPLACE\n', read({ 'src/f.ts': source }));
    expect(ambiguous.ok).toBe(false);
  });
});

describe('V4A apply_patch envelopes', () => {
  it('updates, adds and deletes files', async () => {
    const patch = ['*** Begin Patch', '*** Update File: src/f.ts', '@@', ' export function a() {', '-  return "one";', '+  return "ONE";', '*** Add File: src/g.ts', '+export const g = 1;', '*** Delete File: old.ts', '*** End Patch'].join('\n');
    const plan = await planPatch(patch, read({ 'src/f.ts': source, 'old.ts': 'gone\n' }));
    expect(plan.ok && plan.dialect).toBe('v4a');
    expect(plan.ok && plan.changes.map((c) => [c.path, c.action])).toEqual([['src/f.ts', 'modify'], ['src/g.ts', 'create'], ['old.ts', 'delete']]);
    expect(after(plan)).toBe(source.replace('"one"', '"ONE"'));
  });

  it('uses an @@ anchor to choose among identical places, and refuses without one', async () => {
    const body = [' }', '-', '+// after'];
    const without = await planPatch(['*** Begin Patch', '*** Update File: src/f.ts', '@@', ...body, '*** End Patch'].join('\n'), read({ 'src/f.ts': source.replace('"two";\n}\n', '"two";\n}\n\nconst end = 1;\n') }));
    expect(without.ok).toBe(false);
    const anchored = await planPatch(['*** Begin Patch', '*** Update File: src/f.ts', '@@ export function a() {', ...body, '*** End Patch'].join('\n'), read({ 'src/f.ts': source.replace('"two";\n}\n', '"two";\n}\n\nconst end = 1;\n') }));
    expect(after(anchored)).toContain('}\n// after\nexport function b()');
  });
});

describe('matching tiers', () => {
  it('matches across smart quotes and dashes the model typed', async () => {
    const file = 'const label = "on";\nconst note = "a - b";\nconst tail = 1;\n';
    const plan = await planPatch('--- a/f.ts\n+++ b/f.ts\n@@ -1,3 +1,3 @@\n const label = \u201Con\u201D;\n-const note = \u201Ca \u2013 b\u201D;\n+const note = "a to b";\n const tail = 1;\n', read({ 'f.ts': file }));
    expect(plan.ok && plan.changes[0]!.hunks[0]).toMatchObject({ match: 'unicode' });
    expect(after(plan)).toBe('const label = "on";\nconst note = "a to b";\nconst tail = 1;\n');
  });

  it('tolerates unchanged lines the model left out of the context', async () => {
    const file = Array.from({ length: 30 }, (_, i) => `line ${i + 1};`).join('\n') + '\n';
    // Context says line 2 then line 9: the lines between were omitted.
    const plan = await planPatch('--- a/f.ts\n+++ b/f.ts\n@@ -1,7 +1,7 @@\n line 1;\n line 2;\n line 9;\n line 10;\n-line 11;\n+line eleven;\n line 12;\n', read({ 'f.ts': file }));
    expect(after(plan)).toBe(file.replace('line 11;', 'line eleven;'));
  });

  it('does not accept omitted lines when the rest of the context is elsewhere in the file', async () => {
    const file = Array.from({ length: 300 }, (_, i) => `line ${i + 1};`).join('\n') + '\n';
    // The leading context exists, but 240 lines after the change, not before it.
    const plan = await planPatch('--- a/f.ts\n+++ b/f.ts\n@@ @@\n line 250;\n line 251;\n line 252;\n line 253;\n line 10;\n-line 11;\n+line eleven;\n line 12;\n', read({ 'f.ts': file }));
    expect(plan.ok).toBe(false);
  });

  it('keeps a byte-order mark and a missing final newline', async () => {
    const plan = await planPatch('--- a/f.ts\n+++ b/f.ts\n@@ -1,2 +1,2 @@\n first\n-second\n+SECOND\n\\ No newline at end of file\n', read({ 'f.ts': '\uFEFFfirst\nsecond' }));
    expect(after(plan)).toBe('\uFEFFfirst\nSECOND');
  });
});

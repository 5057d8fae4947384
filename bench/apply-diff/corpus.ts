// A deterministic corpus of imperfect patches made from real edits to real source files: the
// correct unified diff is produced by jsdiff, then mutated the way models get diffs wrong
// (see mutations.ts). Every case knows the files before and the files a correct applier leaves.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { structuredPatch } from 'diff';
import { editAt, languageOf, pickLine, seeded, type Language, type Random } from './edits.ts';
import { MUTATIONS, render, type Hunks } from './mutations.ts';

export interface Case {
  id: string;
  kind: string;
  /** Files before the patch (path -> text). */
  before: Record<string, string>;
  patch: string;
  /** Files after a correct apply (null: the file is deleted). Undefined: no single right answer; the right outcome is a refusal. */
  expected: Record<string, string | null> | undefined;
}

export function sourceFiles(roots: readonly string[], limit: number): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      if (name === 'node_modules' || name.startsWith('.')) continue;
      const full = path.join(dir, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else if (/\.(ts|js|mjs)$/.test(name) && !name.endsWith('.d.ts') && st.size > 1500 && st.size < 60_000) out.push(full);
    }
  };
  for (const root of roots) walk(root);
  return out.slice(0, limit);
}

export const hunksOf = (file: string, before: string, after: string, context = 3): Hunks => structuredPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context }).hunks;

/** A file of the corpus: its path as patches name it, and its text. */
export interface Source {
  file: string;
  text: string;
}

/** Every mistake kind, on one edit per file (of at least 40 lines); added lines in the file's language. */
export function buildCorpusFrom(sources: readonly Source[], seed: number): Case[] {
  const rand = seeded(seed);
  const cases: Case[] = [];
  const texts = sources.filter((f) => f.text.split('\n').length >= 40);
  texts.forEach(({ file, text: original }, n) => {
    const lines = original.split('\n');
    const language = languageOf(file);
    const at = pickLine(lines, rand);
    const edited = editAt(lines, at, rand, language).lines.join('\n');
    const add = (kind: string, patch: string, before = original, after: string | null = edited) =>
      cases.push({ id: `${file}#${kind}`, kind, before: { [file]: before }, patch, expected: after === null ? undefined : { [file]: after } });

    for (const mutation of MUTATIONS) {
      const hunks = hunksOf(file, original, edited, mutation.context ?? 3);
      const patch = mutation.apply({ file, hunks, rand });
      if (patch !== undefined) add(mutation.kind, patch);
    }
    add('already_applied', render(file, hunksOf(file, original, edited)), edited, edited);
    add('lf_patch_crlf_file', render(file, hunksOf(file, original, edited)), crlf(original), crlf(edited));
    add('crlf_file_already_applied', render(file, hunksOf(file, original, edited)), crlf(edited), crlf(edited));
    addNoFinalNewline(add, file, lines, rand, language);
    addTwoHunkCases(add, file, lines, at, rand, language);
    addDuplicateCases(add, file, lines, rand);
    const other = texts[(n + 1) % texts.length]!;
    if (other.file !== file) cases.push(multiFile({ file, original, edited, other, rand, n }));
  });
  return cases;
}

const crlf = (text: string) => text.replace(/\n/g, '\r\n');

/** `after` null: the case has no single right answer. */
type Add = (kind: string, patch: string, before?: string, after?: string | null) => void;

/** An edit near the end of a file without a final newline, its patch missing the "\ No newline" marker. */
function addNoFinalNewline(add: Add, file: string, lines: readonly string[], rand: Random, language: Language): void {
  const body = lines.join('\n').replace(/\n+$/, '');
  const trimmed = body.split('\n');
  const at = pickLine(trimmed, rand, trimmed.length - 5, trimmed.length - 1);
  const after = editAt(trimmed, at, rand, language).lines.join('\n');
  const hunks = hunksOf(file, body, after).map((h) => ({ ...h, lines: h.lines.filter((l) => !l.startsWith('\\')) }));
  add('no_final_newline_marker_missing', render(file, hunks), body, after);
}

/** Two edits far apart: hunks given bottom first, and with wrong numbers on top. */
function addTwoHunkCases(add: Add, file: string, lines: readonly string[], at: number, rand: Random, language: Language): void {
  const second = pickLine(lines, rand, Math.floor(lines.length / 2) + 5, lines.length - 4);
  if (second <= at + 12) return;
  const once = editAt(lines, at, rand, language).lines;
  const both = editAt(once, second + (once.length - lines.length), rand, language).lines.join('\n');
  const two = hunksOf(file, lines.join('\n'), both);
  if (two.length !== 2) return;
  add('hunks_out_of_order', render(file, [two[1]!, two[0]!]), lines.join('\n'), both);
  add('hunks_out_of_order_wrong_numbers', render(file, [two[1]!, two[0]!], (h, i) => `@@ -${h.oldStart + 40 * (i + 1)},${h.oldLines + 1} +${h.newStart + 3},${h.newLines} @@`), lines.join('\n'), both);
}

/**
 * Repeated code, where appliers that guess go wrong. "duplicate_trap": a line appears twice with
 * the same neighbours but different outer context; the later copy is edited, the header points
 * at the earlier copy and the outer context line has drifted whitespace, so only the whole hunk
 * (matched ignoring whitespace) pins the right place — fuzzing it away lands on the wrong copy.
 * "ambiguous_context": a bare one-line change whose line appears twice; no applier can know.
 */
function addDuplicateCases(add: Add, file: string, lines: readonly string[], rand: Random): void {
  const text = lines.join('\n');
  const pair = twinLines(lines);
  if (pair) {
    const [first, last] = pair;
    const changed = [...lines];
    changed[last] = `${changed[last]} // only the later copy`;
    const hunks = hunksOf(file, text, changed.join('\n'));
    if (hunks.length === 1) {
      const h = hunks[0]!;
      const shift = first - last;
      const drifted = h.lines.map((l, i) => (i === 0 && l.startsWith(' ') ? ` \t${l.slice(1)}` : l));
      add('duplicate_trap', render(file, [{ ...h, lines: drifted }], (x) => `@@ -${x.oldStart + shift},${x.oldLines} +${x.newStart + shift},${x.newLines} @@`), text, changed.join('\n'));
    }
  }
  const dup = repeatedLine(lines, rand);
  if (dup) {
    const [first, last] = dup;
    const changed = [...lines];
    changed[last] = `${changed[last]} // one of the copies`;
    add('ambiguous_context', `--- a/${file}\n+++ b/${file}\n@@ -${first + 1} +${first + 1} @@\n-${lines[last]}\n+${changed[last]}\n`, text, null);
  }
}

const loose = (line: string) => line.trim().replace(/\s+/g, ' ');

/** A substantial line at i < j with equal neighbours (i±1 = j±1) but a different line 3 above. */
function twinLines(lines: readonly string[]): [number, number] | undefined {
  const seen = new Map<string, number[]>();
  lines.forEach((line, i) => {
    if (line.trim().length >= 6) seen.set(line, [...(seen.get(line) ?? []), i]);
  });
  for (const at of seen.values()) {
    for (let a = 0; a < at.length; a++) {
      for (let b = a + 1; b < at.length; b++) {
        const i = at[a]!;
        const j = at[b]!;
        if (j - i < 8 || i < 3 || j + 3 >= lines.length) continue;
        if (lines[i - 1] === lines[j - 1] && lines[i + 1] === lines[j + 1] && loose(lines[i - 3]!) !== loose(lines[j - 3]!) && lines[i - 3]!.trim() !== '') return [i, j];
      }
    }
  }
  return undefined;
}

/** A non-trivial line that appears at least twice (a random pair of copies). */
function repeatedLine(lines: readonly string[], rand: Random): [number, number] | undefined {
  const seen = new Map<string, number[]>();
  lines.forEach((line, i) => {
    if (line.trim().length >= 8) seen.set(line, [...(seen.get(line) ?? []), i]);
  });
  const repeated = [...seen.values()].filter((at) => at.length >= 2 && at.at(-1)! - at[0]! > 5);
  if (repeated.length === 0) return undefined;
  const at = repeated[Math.floor(rand() * repeated.length)]!;
  return [at[0]!, at.at(-1)!];
}

/** One patch: edit this file (wrong line numbers), create a new one, delete another. */
function multiFile(input: { file: string; original: string; edited: string; other: { file: string; text: string }; rand: Random; n: number }): Case {
  const { file, original, edited, other, n } = input;
  const created = `generated/bench-${n}.ts`;
  const createdText = `// Created by the patch.\nexport const made${n} = ${n};\n`;
  const edit = render(file, hunksOf(file, original, edited), (h) => `@@ -${h.oldStart + 11},${h.oldLines} +${h.newStart + 11},${h.newLines} @@`);
  const create = `--- /dev/null\n+++ b/${created}\n@@ -0,0 +1,2 @@\n${createdText.split('\n').slice(0, 2).map((l) => `+${l}`).join('\n')}\n`;
  const otherLines = other.text.replace(/\n$/, '').split('\n');
  const finalNewline = other.text.endsWith('\n') ? '' : '\n\\ No newline at end of file';
  const remove = `--- a/${other.file}\n+++ /dev/null\n@@ -1,${otherLines.length} +0,0 @@\n${otherLines.map((l) => `-${l}`).join('\n')}${finalNewline}\n`;
  return {
    id: `${file}#multi_file`,
    kind: 'multi_file_create_delete',
    before: { [file]: original, [other.file]: other.text },
    patch: `${edit}${create}${remove}`,
    expected: { [file]: edited, [created]: createdText, [other.file]: null },
  };
}

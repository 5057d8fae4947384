// A deterministic corpus of imperfect patches made from real edits to real source files: the
// correct unified diff is produced by jsdiff, then mutated the way models get diffs wrong.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { createTwoFilesPatch, structuredPatch } from 'diff';

export interface Case {
  id: string;
  kind: string;
  file: string;
  /** File content before the patch is applied. */
  original: string;
  patch: string;
  /** What a correct applier leaves (for "already applied": the original, unchanged). */
  expected: string;
}

export function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
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

const SUFFIXES = [' // reviewed', ' // TODO: check', '  /* changed */'];

/** Edits 1-3 consecutive non-blank lines at `at` and inserts a line after them. */
function editAt(lines: string[], at: number, rand: () => number): string[] {
  const next = [...lines];
  const count = 1 + Math.floor(rand() * 2);
  for (let i = 0; i < count && at + i < next.length; i++) {
    if (next[at + i]!.trim() !== '') next[at + i] = next[at + i]! + SUFFIXES[Math.floor(rand() * SUFFIXES.length)]!;
  }
  const indent = /^\s*/.exec(next[at]!)![0];
  next.splice(at + count, 0, `${indent}// added by the edit ${Math.floor(rand() * 1e6)}`);
  return next;
}

function pickLine(lines: readonly string[], rand: () => number, from = 3, to = lines.length - 4): number {
  for (let tries = 0; tries < 50; tries++) {
    const at = from + Math.floor(rand() * Math.max(1, to - from));
    if (lines[at] !== undefined && lines[at]!.trim().length > 3) return at;
  }
  return from;
}

function unified(file: string, before: string, after: string, context = 3): string {
  return createTwoFilesPatch(`a/${file}`, `b/${file}`, before, after, undefined, undefined, { context }).split('\n').filter((l) => !l.startsWith('=====') && !l.startsWith('Index:')).join('\n');
}

type Hunks = ReturnType<typeof structuredPatch>['hunks'];

function render(file: string, hunks: Hunks, header: (h: Hunks[number], i: number) => string): string {
  const out = [`--- a/${file}`, `+++ b/${file}`];
  hunks.forEach((h, i) => {
    out.push(header(h, i));
    out.push(...h.lines);
  });
  return `${out.join('\n')}\n`;
}

const std = (h: Hunks[number]) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;

export function buildCorpus(files: readonly string[], root: string, seed = 7): Case[] {
  const rand = seeded(seed);
  const cases: Case[] = [];
  for (const abs of files) {
    const file = path.relative(root, abs);
    const original = readFileSync(abs, 'utf8');
    const lines = original.split('\n');
    if (lines.length < 40) continue;
    const at = pickLine(lines, rand);
    const edited = editAt(lines, at, rand).join('\n');
    const hunks = structuredPatch(`a/${file}`, `b/${file}`, original, edited, undefined, undefined, { context: 3 }).hunks;
    const add = (kind: string, patch: string, orig = original, expected = edited) => cases.push({ id: `${file}#${kind}`, kind, file, original: orig, patch, expected });

    add('correct', unified(file, original, edited));
    const shift = 7 + Math.floor(rand() * 30);
    add('wrong_line_numbers', render(file, hunks, (h) => `@@ -${h.oldStart + shift},${h.oldLines} +${h.newStart + shift},${h.newLines} @@`));
    add('wrong_counts', render(file, hunks, (h) => `@@ -${h.oldStart},${h.oldLines + 2} +${h.newStart},${h.newLines - 1} @@`));
    add('missing_context', render(file, hunks.map((h) => ({ ...h, lines: trimContext(h.lines, 2) })), std));
    add('extra_wrong_context', render(file, hunks.map((h) => ({ ...h, lines: [' // a line the model remembered wrongly', ...h.lines] })), std));
    // The model re-typed the snippet two spaces deeper: every line of the hunk drifts alike.
    add('indentation_drift', render(file, hunks.map((h) => ({ ...h, lines: h.lines.map((l) => `${l[0]}  ${l.slice(1)}`) })), std));
    add('trailing_whitespace', render(file, hunks.map((h) => ({ ...h, lines: h.lines.map((l) => (l[0] === ' ' ? `${l}  ` : l)) })), std));
    add('already_applied', unified(file, original, edited), edited, edited);
    const crlf = original.replace(/\n/g, '\r\n');
    add('lf_patch_crlf_file', unified(file, original, edited), crlf, edited.replace(/\n/g, '\r\n'));

    // Two edits far apart, hunks given bottom first.
    const second = pickLine(lines, rand, Math.floor(lines.length / 2) + 5, lines.length - 4);
    if (second > at + 12) {
      const both = editAt(editAt(lines, at, rand), second + 1 + 0, rand).join('\n');
      const two = structuredPatch(`a/${file}`, `b/${file}`, original, both, undefined, undefined, { context: 3 }).hunks;
      if (two.length === 2) add('hunks_out_of_order', render(file, [two[1]!, two[0]!], std), original, both);
    }

    // The same line twice: edit the later copy with a zero-context hunk whose line number
    // points at the earlier copy. Any applier that guesses lands in the wrong place.
    const dup = duplicatedLine(lines);
    if (dup) {
      const [first, last] = dup;
      const changed = [...lines];
      changed[last] = `${changed[last]} // only the later copy`;
      const after = changed.join('\n');
      add('ambiguous_context', `--- a/${file}\n+++ b/${file}\n@@ -${first + 1} +${first + 1} @@\n-${lines[last]}\n+${changed[last]}\n`, original, after);
    }
  }
  return cases;
}

function trimContext(lines: readonly string[], n: number): string[] {
  const out = [...lines];
  for (let i = 0; i < n && out[0]?.[0] === ' '; i++) out.shift();
  for (let i = 0; i < n && out.at(-1)?.[0] === ' '; i++) out.pop();
  return out;
}

/** A non-trivial line that appears at least twice (indices of the first and the last copy). */
function duplicatedLine(lines: readonly string[]): [number, number] | undefined {
  const first = new Map<string, number>();
  let found: [number, number] | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim().length < 8) continue;
    const earlier = first.get(line);
    if (earlier === undefined) first.set(line, i);
    else if (i - earlier > 5) found = [earlier, i];
  }
  return found;
}

// Realistic edits to a real source file, chosen by a seeded random source: change a token in a
// line or two, insert a few lines at the surrounding indentation, delete lines, replace a small
// block, or open a nested block one level deeper. Each returns the whole new list of lines.

export type Random = () => number;

export function seeded(seed: number): Random {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

const pick = <T>(items: readonly T[], rand: Random): T => items[Math.floor(rand() * items.length)]!;

export type EditKind = 'modify' | 'insert' | 'delete' | 'replace_block';
const KINDS: readonly EditKind[] = ['modify', 'insert', 'delete', 'replace_block'];

/** A non-blank line index in [from, to) with some substance, or `from` after many tries. */
export function pickLine(lines: readonly string[], rand: Random, from = 3, to = lines.length - 4): number {
  for (let tries = 0; tries < 50; tries++) {
    const at = from + Math.floor(rand() * Math.max(1, to - from));
    if (lines[at] !== undefined && lines[at]!.trim().length > 3) return at;
  }
  return from;
}

const indentOf = (line: string) => /^\s*/.exec(line)![0];

/** Changes one identifier, number or string in the line, as a rename or a fixed value would. */
function changeToken(line: string, rand: Random, tag: number): string {
  const tokens = [...line.matchAll(/\b[A-Za-z_]\w{2,}\b|\b\d+\b/g)];
  if (tokens.length === 0) return `${line} // adjusted ${tag}`;
  const token = pick(tokens, rand);
  const at = token.index;
  const replacement = /^\d+$/.test(token[0]) ? String(Number(token[0]) + 1 + (tag % 7)) : `${token[0]}V${tag % 97}`;
  return line.slice(0, at) + replacement + line.slice(at + token[0].length);
}

/** The language an edit is written in, so added lines look like the file's code. */
export type Language = 'js' | 'python' | 'go' | 'make' | 'yaml';

export function languageOf(file: string): Language {
  if (/\.py$/.test(file)) return 'python';
  if (/\.go$/.test(file)) return 'go';
  if (/(^|\/)(GNU)?[Mm]akefile$|\.mk$/.test(file)) return 'make';
  if (/\.ya?ml$/.test(file)) return 'yaml';
  return 'js';
}

const SHAPES: Record<Language, ((indent: string, n: number) => string)[]> = {
  js: [(i, n) => `${i}const probe${n} = ${n % 13};`, (i, n) => `${i}// Keep in step with the caller (case ${n}).`, (i, n) => `${i}if (probe${n} > 1) log('edited ${n}');`],
  python: [(i, n) => `${i}probe_${n} = ${n % 13}`, (i, n) => `${i}# Keep in step with the caller (case ${n}).`, (i, n) => `${i}log.debug("edited %d", ${n})`],
  go: [(i, n) => `${i}probe${n} := ${n % 13}`, (i, n) => `${i}// Keep in step with the caller (case ${n}).`, (i, n) => `${i}log.Printf("edited %d", ${n})`],
  make: [(i, n) => `${i}@echo "probe ${n}"`, (i, n) => `${i}# Keep in step with the caller (case ${n}).`, (i, n) => `${i}$(MAKE) -C probe${n % 13}`],
  yaml: [(i, n) => `${i}probe_${n}: ${n % 13}`, (i, n) => `${i}# Keep in step with the caller (case ${n}).`, (i, n) => `${i}probe_flag_${n}: true`],
};

function newLines(indent: string, count: number, rand: Random, tag: number, language: Language = 'js'): string[] {
  const shapes = SHAPES[language];
  return Array.from({ length: count }, (_, i) => pick(shapes, rand)(indent, tag + i));
}

/**
 * Inserts a block that opens one level deeper than the line it follows — an `if` with a body —
 * so the added lines reach a depth no unchanged line of the hunk has. `unit` is one level in the
 * file's own indentation.
 */
export function editNestedAt(lines: readonly string[], at: number, rand: Random, input: { language: Language; unit: string }): string[] {
  const { language, unit } = input;
  const indent = indentOf(lines[at] ?? '');
  const n = Math.floor(rand() * 1e6);
  const body = newLines(indent + unit, 1 + Math.floor(rand() * 2), rand, n, language);
  const block: Record<Language, string[]> = {
    js: [`${indent}if (probe${n} > 1) {`, ...body, `${indent}}`],
    go: [`${indent}if probe${n} > 1 {`, ...body, `${indent}}`],
    python: [`${indent}if probe_${n} > 1:`, ...body],
    yaml: [`${indent}probe_${n}:`, ...body],
    make: [`${indent}@if [ -n "$(PROBE_${n})" ]; then \\`, `${indent}${unit}echo "probe ${n}"; \\`, `${indent}fi`],
  };
  const next = [...lines];
  next.splice(at + 1, 0, ...block[language]);
  return next;
}

export function editAt(lines: readonly string[], at: number, rand: Random, language: Language = 'js'): { kind: EditKind; lines: string[] } {
  const kind = pick(KINDS, rand);
  const tag = Math.floor(rand() * 1e6);
  const next = [...lines];
  const indent = indentOf(lines[at] ?? '');
  switch (kind) {
    case 'modify': {
      const count = 1 + Math.floor(rand() * 2);
      for (let i = 0; i < count && at + i < next.length; i++) if (next[at + i]!.trim() !== '') next[at + i] = changeToken(next[at + i]!, rand, tag + i);
      break;
    }
    case 'insert':
      next.splice(at + 1, 0, ...newLines(indent, 1 + Math.floor(rand() * 3), rand, tag, language));
      break;
    case 'delete':
      next.splice(at, 1 + Math.floor(rand() * 2));
      break;
    case 'replace_block':
      next.splice(at, 2, ...newLines(indent, 3, rand, tag, language));
      break;
  }
  return { kind, lines: next };
}

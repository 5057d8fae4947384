// The mistakes models make when they write unified diffs, each applied to a correct diff of a
// real edit: wrong numbers, wrong counts, bare headers, too little or wrong context, unchanged
// lines left out, drifted indentation, trailing spaces, typographic quotes — and a mix of them.
import type { structuredPatch } from 'diff';
import type { Random } from './edits.ts';

export type Hunks = ReturnType<typeof structuredPatch>['hunks'];
type Hunk = Hunks[number];

export const standardHeader = (h: Hunk) => `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`;

export function render(file: string, hunks: Hunks, header: (h: Hunk, i: number) => string = standardHeader): string {
  const out = [`--- a/${file}`, `+++ b/${file}`];
  hunks.forEach((h, i) => {
    out.push(header(h, i));
    out.push(...h.lines);
  });
  return `${out.join('\n')}\n`;
}

export interface Mutation {
  kind: string;
  /** Context lines of the correct diff the mutation starts from (default 3). */
  context?: number;
  /** The mutated patch, or undefined when this edit gives the mistake nothing to change. */
  apply(input: { file: string; hunks: Hunks; rand: Random }): string | undefined;
}

const mapLines = (hunks: Hunks, f: (line: string) => string): Hunks => hunks.map((h) => ({ ...h, lines: h.lines.map(f) }));

export function trimContext(lines: readonly string[], n: number): string[] {
  const out = [...lines];
  for (let i = 0; i < n && out[0]?.[0] === ' '; i++) out.shift();
  for (let i = 0; i < n && out.at(-1)?.[0] === ' '; i++) out.pop();
  return out;
}

export const trailingSpaces = (l: string) => (l[0] === ' ' ? `${l}  ` : l);
const deeper = (l: string) => (l.startsWith('\\') ? l : `${l[0]}  ${l.slice(1)}`);
export const shifted = (by: number) => (h: Hunk) => `@@ -${Math.max(1, h.oldStart + by)},${h.oldLines} +${Math.max(1, h.newStart + by)},${h.newLines} @@`;

/** Typographic quotes and dashes in the lines the model copied from the file (not in the lines it wrote). */
function typographic(line: string): string {
  if (line[0] !== ' ' && line[0] !== '-') return line;
  return line[0] + line.slice(1).replace(/'/g, '\u2019').replace(/"/g, '\u201D').replace(/ - /g, ' \u2013 ');
}

export const MUTATIONS: readonly Mutation[] = [
  { kind: 'correct', apply: ({ file, hunks }) => render(file, hunks) },
  { kind: 'wrong_line_numbers', apply: ({ file, hunks, rand }) => render(file, hunks, shifted(7 + Math.floor(rand() * 30))) },
  { kind: 'wrong_counts', apply: ({ file, hunks }) => render(file, hunks, (h) => `@@ -${h.oldStart},${h.oldLines + 2} +${h.newStart},${Math.max(0, h.newLines - 1)} @@`) },
  {
    kind: 'wrong_numbers_and_counts',
    apply: ({ file, hunks, rand }) => render(file, hunks, (h) => `@@ -${Math.max(1, h.oldStart - 5 - Math.floor(rand() * 50))},${h.oldLines + 1} +${h.newStart + 9},${h.newLines + 3} @@`),
  },
  { kind: 'bare_hunk_headers', apply: ({ file, hunks }) => render(file, hunks, () => '@@ @@') },
  { kind: 'missing_context', apply: ({ file, hunks }) => render(file, hunks.map((h) => ({ ...h, lines: trimContext(h.lines, 2) }))) },
  { kind: 'extra_wrong_context', apply: ({ file, hunks }) => render(file, hunks.map((h) => ({ ...h, lines: [' // a line the model remembered wrongly', ...h.lines] }))) },
  {
    // Five lines of leading context with the second left out, as models do when they "skip" lines.
    kind: 'omitted_context_line',
    context: 5,
    apply: ({ file, hunks }) => {
      const h = hunks[0]!;
      if (!h.lines.slice(0, 5).every((l) => l[0] === ' ')) return undefined;
      return render(file, [{ ...h, lines: [h.lines[0]!, ...h.lines.slice(2)] }, ...hunks.slice(1)]);
    },
  },
  // The model re-typed the snippet two spaces deeper: every line of the hunk drifts alike.
  { kind: 'indentation_drift', apply: ({ file, hunks }) => render(file, mapLines(hunks, deeper)) },
  { kind: 'trailing_whitespace', apply: ({ file, hunks }) => render(file, mapLines(hunks, trailingSpaces)) },
  {
    kind: 'typographic_quotes',
    apply: ({ file, hunks }) => {
      const changed = mapLines(hunks, typographic);
      return changed.some((h, i) => h.lines.join('\n') !== hunks[i]!.lines.join('\n')) ? render(file, changed) : undefined;
    },
  },
  {
    kind: 'combined_mistakes',
    apply: ({ file, hunks, rand }) => render(file, mapLines(hunks.map((h) => ({ ...h, lines: trimContext(h.lines, 1) })), (l) => trailingSpaces(deeper(l))), shifted(-3 - Math.floor(rand() * 20))),
  },
];

// A safety sweep beside the scored corpus: many random edits to real files, each diff hit by a
// random combination of mistakes (edge context dropped, context lines misremembered, trailing
// spaces, tab drift, per-line indentation drift, hunks reversed, bare or wrong headers, 0-4
// context lines). Counts how often baton puts an edit in the wrong place: "wrong" means the
// result differs from the intended file even ignoring indentation; "indent only" means the
// edit landed right but the added lines kept the model's inconsistent indentation.
//   node bench/apply-diff/random-sweep.ts [seed] [files]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { structuredPatch } from 'diff';
import { batonApply } from './appliers.ts';
import { sourceFiles } from './corpus.ts';
import { editAt, pickLine, seeded } from './edits.ts';
import { render } from './mutations.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = (name: string, ...sub: string[]) => path.join(repoRoot, 'node_modules', '.pnpm', name, 'node_modules', name.split('@')[0]!, ...sub);
const roots = [pkg('diff@9.0.0', 'libesm'), pkg('zod@4.6.7', 'v4', 'core'), pkg('yaml@2.9.1', 'dist'), pkg('commander@15.1.0', 'lib')];
const seed = Number(process.argv[2] ?? 1);
const files = sourceFiles(roots, Number(process.argv[3] ?? 400));
const rand = seeded(seed);

/** Drops leading/trailing context lines at random, never the one next to a change (that would change what the patch means). */
function dropEdgeContext(lines: string[], p: number): string[] {
  const changed = lines.flatMap((l, i) => (l[0] === '+' || l[0] === '-' ? [i] : []));
  if (changed.length === 0) return lines;
  const first = changed[0]!;
  const last = changed.at(-1)!;
  return lines.filter((l, i) => !(l[0] === ' ' && (i < first - 1 || i > last + 1) && rand() < p));
}

const mistakes: ((lines: string[]) => string[])[] = [
  (ls) => ls.map((l) => (l[0] === ' ' && rand() < 0.3 ? ` ${l.slice(1).trimStart()}` : l)),
  (ls) => dropEdgeContext(ls, 0.25),
  (ls) => ls.map((l) => (l[0] === ' ' && rand() < 0.15 ? ' // a line the model misremembered' : l)),
  (ls) => dropEdgeContext(ls, 0.5),
  (ls) => ls.map((l) => (l[0] === ' ' || l[0] === '-' ? l.replace(/\s+$/, '') + (rand() < 0.3 ? ' ' : '') : l)),
  (ls) => ls.map((l) => (l.startsWith('\\') ? l : `${l[0]}\t${l.slice(1)}`)),
];

const tally = { patches: 0, correct: 0, refused: 0, indentOnly: 0, wrong: 0 };
const loose = (text: string) => text.split('\n').map((l) => l.trim()).join('\n');
for (const abs of files) {
  const original = readFileSync(abs, 'utf8');
  const lines = original.split('\n');
  if (lines.length < 40) continue;
  const file = path.relative(repoRoot, abs);
  for (let k = 0; k < 6; k++) {
    let edited = editAt(lines, pickLine(lines, rand), rand).lines;
    if (rand() < 0.4) edited = editAt(edited, pickLine(edited, rand), rand).lines;
    const after = edited.join('\n');
    const picked = mistakes.filter(() => rand() < 0.35);
    let hunks = structuredPatch('a', 'b', original, after, undefined, undefined, { context: Math.floor(rand() * 5) }).hunks;
    hunks = hunks.map((h) => ({ ...h, lines: picked.reduce((ls, mistake) => mistake(ls), h.lines) }));
    if (rand() < 0.5) hunks = [...hunks].reverse();
    const patch = render(file, hunks, (h) => (rand() < 0.5 ? '@@ @@' : `@@ -${Math.max(1, h.oldStart + Math.floor(rand() * 40) - 20)},${h.oldLines} +${h.newStart},${h.newLines} @@`));
    tally.patches++;
    const out = await batonApply({ [file]: original }, patch, [file]);
    if (!out.ok) tally.refused++;
    else if (out.files[file] === after) tally.correct++;
    else if (loose(out.files[file]!) === loose(after)) tally.indentOnly++;
    else {
      tally.wrong++;
      console.error(`WRONG: ${file}\n${patch}`);
    }
  }
}
console.log(`random sweep (seed ${seed}): ${tally.patches} patches, correct ${tally.correct}, refused ${tally.refused}, indent only ${tally.indentOnly}, WRONG ${tally.wrong}`);
if (tally.wrong > 0) process.exitCode = 1;

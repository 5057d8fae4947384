// A safety sweep beside the scored corpus: many random edits to real files, each diff hit by a
// random combination of mistakes (edge context dropped, context lines misremembered, trailing
// spaces, tab drift, per-line indentation drift, the patch re-typed in the other indentation
// style — whole or only its added lines — hunks reversed, bare or wrong headers, 0-4 context
// lines). The files are the main corpus's plus tab-indented JavaScript, YAML, Python, Go, a
// Makefile and mixed-style files (see indent-corpus.ts); some edits open a block one level
// deeper. Counts how often baton puts an edit in the wrong place: "wrong" means the result
// differs from the intended file even ignoring indentation; "foreign indentation" means the
// edit landed right but some line got indentation of a kind the file does not use (a tab in a
// file indented with spaces, say); "indent only" means the edit landed right, in the file's own
// kind of indentation, at another depth than intended (the model's indentation was inconsistent).
// Both "wrong" and "foreign indentation" must stay 0.
//   node bench/apply-diff/random-sweep.ts [seed] [files]
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { structuredPatch } from 'diff';
import { batonApply } from './appliers.ts';
import { sourceFiles } from './corpus.ts';
import { editAt, languageOf, pickLine, seeded } from './edits.ts';
import { indentSources, nestedEdit } from './indent-corpus.ts';
import { fileStyle, otherStyle, retypeDiffLine, spaceUnit, spacesFor, tabsFor } from './indent-styles.ts';
import { render } from './mutations.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const pkg = (name: string, ...sub: string[]) => path.join(repoRoot, 'node_modules', '.pnpm', name, 'node_modules', name.split('@')[0]!, ...sub);
const roots = [pkg('diff@9.0.0', 'libesm'), pkg('zod@4.6.7', 'v4', 'core'), pkg('yaml@2.9.1', 'dist'), pkg('commander@15.1.0', 'lib')];
const seed = Number(process.argv[2] ?? 1);
const mainSources = sourceFiles(roots, Number(process.argv[3] ?? 400)).map((abs) => ({ file: path.relative(repoRoot, abs), text: readFileSync(abs, 'utf8') }));
const sources = [...mainSources, ...indentSources(repoRoot, mainSources)];
const rand = seeded(seed);

/** Drops leading/trailing context lines at random, never the one next to a change (that would change what the patch means). */
function dropEdgeContext(lines: string[], p: number): string[] {
  const changed = lines.flatMap((l, i) => (l[0] === '+' || l[0] === '-' ? [i] : []));
  if (changed.length === 0) return lines;
  const first = changed[0]!;
  const last = changed.at(-1)!;
  return lines.filter((l, i) => !(l[0] === ' ' && (i < first - 1 || i > last + 1) && rand() < p));
}

type Mistake = (lines: string[]) => string[];

/** The mistakes, the first two re-typing indentation in the other style than `text`'s. */
function mistakesFor(text: string): Mistake[] {
  const style = fileStyle(text);
  const unit = spaceUnit(text);
  const width = [2, 4, 8][Math.floor(rand() * 3)]!;
  const retype = (indent: string) => (style === 'tabs' ? spacesFor(indent, width) : style === 'spaces' ? tabsFor(indent, unit) : otherStyle(indent, { unit, width }));
  return [
    (ls) => ls.map((l) => retypeDiffLine(l, retype)),
    (ls) => ls.map((l) => (l[0] === '+' ? retypeDiffLine(l, retype) : l)),
    (ls) => ls.map((l) => (l[0] === ' ' && rand() < 0.3 ? ` ${l.slice(1).trimStart()}` : l)),
    (ls) => dropEdgeContext(ls, 0.25),
    (ls) => ls.map((l) => (l[0] === ' ' && rand() < 0.15 ? ' // a line the model misremembered' : l)),
    (ls) => dropEdgeContext(ls, 0.5),
    (ls) => ls.map((l) => (l[0] === ' ' || l[0] === '-' ? l.replace(/\s+$/, '') + (rand() < 0.3 ? ' ' : '') : l)),
    (ls) => ls.map((l) => (l.startsWith('\\') ? l : `${l[0]}\t${l.slice(1)}`)),
  ];
}

/** The kinds of indentation a text uses: tabs, one space (alignment, " * "), spaces, tabs then spaces, spaces then tabs. */
function indentKinds(text: string): Set<string> {
  const kinds = new Set<string>();
  for (const line of text.split('\n')) if (line.trim() !== '') kinds.add(indentKind(line));
  return kinds;
}
function indentKind(line: string): string {
  const indent = /^[ \t]*/.exec(line)![0];
  if (indent === '') return 'none';
  if (/^\t+$/.test(indent)) return 'tabs';
  if (indent === ' ') return 'one space';
  if (/^ +$/.test(indent)) return 'spaces';
  return /^\t+ +$/.test(indent) ? 'tabs then spaces' : 'spaces then tabs';
}

const tally = { patches: 0, correct: 0, refused: 0, indentOnly: 0, foreignIndent: 0, wrong: 0 };
const loose = (text: string) => text.split('\n').map((l) => l.trim()).join('\n');
for (const { file, text: original } of sources) {
  const lines = original.split('\n');
  if (lines.length < 40) continue;
  const language = languageOf(file);
  const kinds = indentKinds(original);
  // A file with no indentation has no kind of its own that a patch could miss.
  const indented = kinds.has('tabs') || kinds.has('spaces');
  for (let k = 0; k < 6; k++) {
    let edited = rand() < 0.25 ? nestedEdit(lines, rand, { language, unit: spaceUnit(original) }).split('\n') : editAt(lines, pickLine(lines, rand), rand, language).lines;
    if (rand() < 0.4) edited = editAt(edited, pickLine(edited, rand), rand, language).lines;
    const after = edited.join('\n');
    const picked = mistakesFor(original).filter(() => rand() < 0.3);
    let hunks = structuredPatch('a', 'b', original, after, undefined, undefined, { context: Math.floor(rand() * 5) }).hunks;
    hunks = hunks.map((h) => ({ ...h, lines: picked.reduce((ls, mistake) => mistake(ls), h.lines) }));
    if (rand() < 0.5) hunks = [...hunks].reverse();
    const patch = render(file, hunks, (h) => (rand() < 0.5 ? '@@ @@' : `@@ -${Math.max(1, h.oldStart + Math.floor(rand() * 40) - 20)},${h.oldLines} +${h.newStart},${h.newLines} @@`));
    tally.patches++;
    const out = await batonApply({ [file]: original }, patch, [file]);
    if (!out.ok) tally.refused++;
    else if (out.files[file] === after) tally.correct++;
    else if (loose(out.files[file]!) !== loose(after)) {
      tally.wrong++;
      console.error(`WRONG: ${file}\n${patch}`);
    } else if (indented && out.files[file]!.split('\n').some((l, i) => l !== after.split('\n')[i] && !kinds.has(indentKind(l)))) {
      tally.foreignIndent++;
      console.error(`FOREIGN INDENTATION: ${file}\n${patch}`);
    } else tally.indentOnly++;
  }
}
console.log(
  `random sweep (seed ${seed}): ${tally.patches} patches, correct ${tally.correct}, refused ${tally.refused}, indent only ${tally.indentOnly}, foreign indentation ${tally.foreignIndent}, WRONG ${tally.wrong}`,
);
if (tally.wrong > 0 || tally.foreignIndent > 0) process.exitCode = 1;

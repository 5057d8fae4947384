// Tabs against spaces. Files indented with tabs (real tab-indented JavaScript, a Go file, a
// Makefile, Python converted to tabs), with spaces (the main corpus's files, Python, real YAML
// workflows and a Kubernetes manifest), and mixed (real files whose second half was converted to
// tabs); patches re-typed in the other style the ways models do it: the whole patch, the patch
// plus one level of drift, only the added lines, or together with other mistakes. Each is tried
// with a plain edit and with one opening a block deeper than any unchanged line, so added lines
// must be placed at depths the hunk's context does not show.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCorpusFrom, hunksOf, type Case, type Source } from './corpus.ts';
import { editAt, editNestedAt, languageOf, pickLine, seeded, type Random } from './edits.ts';
import { fileStyle, mixedCopy, otherStyle, retypeDiffLine, spaceUnit, spacesFor, tabbedCopy, tabsFor } from './indent-styles.ts';
import { render, shifted, trailingSpaces, trimContext, type Hunks } from './mutations.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

/** Real files from pinned packages, relative to node_modules/.pnpm. */
const TAB_INDENTED_JS = [
  'minimist@1.2.8/node_modules/minimist/index.js',
  'debug@4.4.3/node_modules/debug/src/common.js',
  'debug@4.4.3/node_modules/debug/src/node.js',
  'async-lock@1.5.0/node_modules/async-lock/lib/index.js',
  'get-intrinsic@1.3.1/node_modules/get-intrinsic/index.js',
  'sha.js@2.4.12/node_modules/sha.js/sha512.js',
  'chalk@5.6.2/node_modules/chalk/source/index.js',
  'ansi-escapes@7.3.0/node_modules/ansi-escapes/base.js',
  'slice-ansi@8.0.0/node_modules/slice-ansi/index.js',
  'estree-walker@3.0.3/node_modules/estree-walker/src/sync.js',
  'which-typed-array@1.1.24/node_modules/which-typed-array/index.js',
  'crc-32@1.2.2/node_modules/crc-32/crc32.js',
];
const YAML_WORKFLOWS = [
  'pino@9.14.0/node_modules/pino/.github/workflows/ci.yml',
  'pino@9.14.0/node_modules/pino/.github/workflows/bench.yml',
  'pino@9.14.0/node_modules/pino/.github/workflows/publish-release.yml',
  'thread-stream@3.2.0/node_modules/thread-stream/.github/workflows/ci.yml',
];
const FIXTURES = ['inventory.py', 'queue.go', 'Makefile', 'deploy.yaml'];

/**
 * The files the main corpus does not have: tab-indented JavaScript, YAML, Python, Go, a Makefile,
 * Python converted to tabs, and mixed-style copies of a few of the main corpus's files.
 */
export function indentSources(repoRoot: string, mainSources: readonly Source[]): Source[] {
  const pnpm = (rel: string): Source => ({ file: `node_modules/.pnpm/${rel}`, text: readFileSync(path.join(repoRoot, 'node_modules', '.pnpm', rel), 'utf8') });
  const fixture = (name: string): Source => ({ file: `bench/apply-diff/fixtures/${name}`, text: readFileSync(path.join(here, 'fixtures', name), 'utf8') });
  const python = fixture('inventory.py');
  const mixed = mainSources
    .filter((_, i) => i % 5 === 2)
    .flatMap(({ file, text }) => {
      const copy = mixedCopy(text);
      return copy === undefined ? [] : [{ file: `mixed/${path.basename(file)}`, text: copy }];
    });
  return [
    ...TAB_INDENTED_JS.map(pnpm),
    ...YAML_WORKFLOWS.map(pnpm),
    ...FIXTURES.map(fixture),
    { file: 'bench/apply-diff/fixtures/inventory_tabs.py', text: tabbedCopy(python.text) },
    ...mixed,
  ];
}

/** The main corpus's kinds on the new files, and the tab/space kinds on every file. */
export function buildIndentCorpus(mainSources: readonly Source[], newSources: readonly Source[]): Case[] {
  return [...buildCorpusFrom(newSources, 13), ...buildStyleCases([...mainSources, ...newSources], 17)];
}

/** The tab/space kinds, by the file's style: tabs, spaces, mixed. */
const KIND_NAMES = {
  tabs: ['spaces_for_tabs', 'spaces_for_tabs_deeper', 'spaces_in_added_lines_only', 'spaces_for_tabs_combined'],
  spaces: ['tabs_for_spaces', 'tabs_for_spaces_deeper', 'tabs_in_added_lines_only', 'tabs_for_spaces_combined'],
  mixed: ['mixed_file_other_style', 'mixed_file_other_style_deeper', 'mixed_file_added_lines_other_style', 'mixed_file_other_style_combined'],
} as const;
export const STYLE_KINDS: ReadonlySet<string> = new Set(Object.values(KIND_NAMES).flat());

type Retype = (indent: string) => string;
const mapLines = (hunks: Hunks, f: (line: string) => string): Hunks => hunks.map((h) => ({ ...h, lines: h.lines.map(f) }));

export function buildStyleCases(sources: readonly Source[], seed: number): Case[] {
  const rand = seeded(seed);
  const cases: Case[] = [];
  for (const { file, text } of sources) {
    const lines = text.split('\n');
    // A file with (almost) no indentation has no style of its own to get right.
    if (lines.length < 40 || lines.filter((l) => /^[ \t]+\S/.test(l)).length < 0.1 * lines.length) continue;
    const language = languageOf(file);
    const style = fileStyle(text);
    const unit = spaceUnit(text);
    const width = [2, 4, 8][Math.floor(rand() * 3)]!;
    const edits = {
      plain: editAt(lines, pickLine(lines, rand), rand, language).lines.join('\n'),
      nested: nestedEdit(lines, rand, { language, unit }),
    };
    // The patch's style: one tab per level for a file indented with spaces, `width` spaces per
    // tab for one indented with tabs; in a mixed file, each line the other of its own.
    const retype: Retype = style === 'tabs' ? (i) => spacesFor(i, width) : style === 'spaces' ? (i) => tabsFor(i, unit) : (i) => otherStyle(i, { unit, width });
    const level = style === 'tabs' ? ' '.repeat(width) : '\t';
    const [whole, deeper, addedOnly, combined] = KIND_NAMES[style];
    const kinds: [string, (hunks: Hunks) => string][] = [
      [whole, (hunks) => render(file, mapLines(hunks, (l) => retypeDiffLine(l, retype)))],
      [deeper, (hunks) => render(file, mapLines(hunks, (l) => retypeDiffLine(l, (i) => level + retype(i))))],
      [addedOnly, (hunks) => render(file, mapLines(hunks, (l) => (l.startsWith('+') ? retypeDiffLine(l, retype) : l)))],
      [
        combined,
        (hunks) =>
          render(
            file,
            mapLines(
              hunks.map((h) => ({ ...h, lines: trimContext(h.lines, 1) })),
              (l) => trailingSpaces(retypeDiffLine(l, retype)),
            ),
            shifted(-3 - Math.floor(rand() * 20)),
          ),
      ],
    ];
    for (const [kind, patchOf] of kinds) {
      for (const [variant, edited] of Object.entries(edits)) {
        cases.push({ id: `${file}#${kind}#${variant}`, kind, before: { [file]: text }, patch: patchOf(hunksOf(file, text, edited)), expected: { [file]: edited } });
      }
    }
  }
  return cases;
}

/**
 * A nested block after a line that stands at a whole level of the file's indentation (not a
 * comment's continuation or an aligned argument), one level of the file's own deeper.
 */
export function nestedEdit(lines: readonly string[], rand: Random, input: { language: ReturnType<typeof languageOf>; unit: number }): string {
  let at = pickLine(lines, rand);
  for (let tries = 0; tries < 50; tries++) {
    const line = lines[at] ?? '';
    const indent = /^[ \t]*/.exec(line)![0];
    const clean = /^\t*$/.test(indent) || (/^ *$/.test(indent) && indent.length % input.unit === 0);
    if (clean && !/^\s*(\*|\/\/|#|\/\*)/.test(line) && !/[,(\[{\\]\s*$/.test(line)) break;
    at = pickLine(lines, rand);
  }
  // One level as the file writes it there: the first indented line from `at` on (or before it) says which.
  const near = [...lines.slice(at), ...lines.slice(0, at).reverse()].find((l) => /^[ \t]/.test(l) && l.trim() !== '' && !/^\s*\*/.test(l)) ?? '';
  const unit = near.startsWith('\t') ? '\t' : ' '.repeat(input.unit);
  return editNestedAt(lines, at, rand, { language: input.language, unit }).join('\n');
}

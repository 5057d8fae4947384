// apply_diff against git apply, git apply --recount, GNU patch --fuzz=2 and jsdiff on one
// corpus of imperfect patches made from real edits: how often each puts the files right,
// refuses, or — worst — "succeeds" with the edit in the wrong place (or with indentation that is
// not the intended file's). The main corpus is as in earlier runs; the tab/space part adds files
// in other indentation styles and patches indented in another style than their file (see
// indent-corpus.ts). Plus speed on correct patches, ours vs git apply, in the same run. Figures
// go to bench/results/apply-diff.json.
//   node bench/apply-diff/run.ts        (BENCH_APPLY_FILES=60 source files by default)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyDiffTool, GrantSchema } from '@baton/mcp-tools';
import { appliers, batonApply, type Applied } from './appliers.ts';
import { buildCorpusFrom, sourceFiles, type Case } from './corpus.ts';
import { buildIndentCorpus, indentSources, STYLE_KINDS } from './indent-corpus.ts';
import { HEADER_ONLY_KINDS, render } from './dialects.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = Number(process.env.BENCH_APPLY_FILES ?? 60);
const pkg = (name: string, ...sub: string[]) => path.join(repoRoot, 'node_modules', '.pnpm', name, 'node_modules', name.split('@')[0]!, ...sub);
// Fixed versions of real libraries, so the corpus is the same on every run and every machine.
const roots = [pkg('diff@9.0.0', 'libesm'), pkg('zod@4.6.7', 'v4', 'core'), pkg('yaml@2.9.1', 'dist'), pkg('commander@15.1.0', 'lib')];
const mainSources = sourceFiles(roots, FILES).map((abs) => ({ file: path.relative(repoRoot, abs), text: readFileSync(abs, 'utf8') }));
const newSources = indentSources(repoRoot, mainSources);
const mainCorpus = buildCorpusFrom(mainSources, 7);
const corpus = [...mainCorpus, ...buildIndentCorpus(mainSources, newSources)];
const scratch = mkdtempSync(path.join(tmpdir(), 'baton-bench-apply-'));
const kinds = [...new Set(corpus.map((c) => c.kind))];

type Verdict = 'correct' | 'refused' | 'wrong';
type Tally = Record<Verdict, number>;
const zero = (): Tally => ({ correct: 0, refused: 0, wrong: 0 });

const pathsOf = (c: Case) => [...new Set([...Object.keys(c.before), ...Object.keys(c.expected ?? {})])];

/** Correct: every file byte-equal to the intended result. Wrong: "applied" with any other result (for a case without one right answer, any apply). */
function judge(c: Case, out: Applied): Verdict {
  if (!out.ok) return 'refused';
  if (c.expected === undefined) return 'wrong';
  return Object.entries(c.expected).every(([p, text]) => out.files[p] === text) ? 'correct' : 'wrong';
}

/** Which part of the corpus a case is in: the main corpus (as in earlier runs), the main kinds on the new files, or the tab/space kinds. */
const mainCases = new Set(mainCorpus);
const PARTS = ['main corpus', 'new files, main kinds', 'tab/space kinds'] as const;
const partOf = (c: Case): (typeof PARTS)[number] => (mainCases.has(c) ? PARTS[0] : STYLE_KINDS.has(c.kind) ? PARTS[2] : PARTS[1]);

const started = performance.now();
const verdicts = new Map<string, Verdict[]>();
const wrongExamples: string[] = [];
for (const applier of appliers(scratch)) {
  const list: Verdict[] = [];
  for (const c of corpus) {
    const verdict = judge(c, await applier.apply(c.before, c.patch, pathsOf(c)));
    list.push(verdict);
    if (verdict === 'wrong' && applier.name.startsWith('baton')) wrongExamples.push(c.id);
  }
  verdicts.set(applier.name, list);
}

const tallyOf = (list: readonly Verdict[], keep: (c: Case) => boolean): Tally => {
  const t = zero();
  list.forEach((v, i) => {
    if (keep(corpus[i]!)) t[v]++;
  });
  return t;
};
const uniqueOf = (keep: (c: Case) => boolean) => corpus.filter((c) => keep(c) && c.expected !== undefined).length;
const uniqueCases = uniqueOf(() => true);
console.log(`apply_diff corpus: ${corpus.length} patches from ${new Set(corpus.map((c) => Object.keys(c.before)[0])).size} source files (${newSources.length} of them tab-indented, YAML, Python, Go, Makefile or mixed), ${kinds.length} kinds; ${uniqueCases} have one right answer`);

const summaries: Record<string, Record<string, Tally & { correctPctOfUnique: number }>> = {};
for (const [title, keep] of [['whole corpus', () => true], ...PARTS.map((part) => [part, (c: Case) => partOf(c) === part] as const)] as [string, (c: Case) => boolean][]) {
  const unique = uniqueOf(keep);
  console.log(`\n${title}: ${corpus.filter(keep).length} patches, ${unique} with one right answer`);
  console.log(`${'applier'.padEnd(28)} ${'correct'.padStart(8)} ${'refused'.padStart(8)} ${'WRONG'.padStart(8)} ${'correct % (unique)'.padStart(19)}`);
  summaries[title] = {};
  for (const [name, list] of verdicts) {
    const t = tallyOf(list, keep);
    const pct = (100 * t.correct) / unique;
    summaries[title]![name] = { ...t, correctPctOfUnique: Number(pct.toFixed(1)) };
    console.log(`${name.padEnd(28)} ${String(t.correct).padStart(8)} ${String(t.refused).padStart(8)} ${String(t.wrong).padStart(8)} ${pct.toFixed(1).padStart(18)}%`);
  }
}
console.log(`\nby kind, whole corpus (correct/refused/WRONG):`);
console.log(`${'kind'.padEnd(40)} ${[...verdicts.keys()].map((n) => n.slice(0, 18).padStart(19)).join('')}`);
const byKind: Record<string, Record<string, Tally>> = {};
for (const kind of kinds) {
  const n = corpus.filter((c) => c.kind === kind).length;
  const cells = [...verdicts].map(([name, list]) => {
    const t = tallyOf(list, (c) => c.kind === kind);
    (byKind[name] ??= {})[kind] = t;
    return `${t.correct}/${t.refused}/${t.wrong}`.padStart(19);
  });
  console.log(`${`${kind} (${n})`.padEnd(40)} ${cells.join('')}`);
}

// The same edits and mistakes in the other two dialects (baton only: the other appliers read
// unified diffs). Mistakes that exist only in unified-diff headers are skipped there.
console.log(`\nbaton apply_diff by dialect (same edits, same mistakes):`);
const byDialect: Record<string, Record<string, Tally & { uniqueTotal: number; correctPctOfUnique: number }>> = {};
for (const dialect of ['unified', 'search_replace', 'v4a'] as const) {
  const tallies = new Map<string, Tally & { uniqueTotal: number }>();
  for (const c of corpus.filter((k) => !HEADER_ONLY_KINDS.has(k.kind))) {
    const patch = render(c.patch, dialect);
    if (patch === undefined) continue;
    const verdict = judge(c, await batonApply(c.before, patch, pathsOf(c)));
    for (const key of ['all', partOf(c)]) {
      const t = tallies.get(key) ?? { ...zero(), uniqueTotal: 0 };
      t[verdict]++;
      if (c.expected !== undefined) t.uniqueTotal++;
      tallies.set(key, t);
    }
    if (verdict === 'wrong') wrongExamples.push(`${c.id} (${dialect})`);
  }
  byDialect[dialect] = {};
  for (const [key, t] of tallies) {
    const pct = (100 * t.correct) / t.uniqueTotal;
    byDialect[dialect]![key] = { ...t, correctPctOfUnique: Number(pct.toFixed(1)) };
  }
  const line = (key: string) => {
    const t = byDialect[dialect]![key];
    return t ? `correct ${t.correct}, refused ${t.refused}, WRONG ${t.wrong} (${t.correctPctOfUnique}% of ${t.uniqueTotal})` : 'none';
  };
  console.log(`  ${dialect.padEnd(15)} all: ${line('all')}; tab/space kinds: ${line(PARTS[2])}`);
}

// Speed on correct patches, each applier reading and writing the file on disk: ours in
// process (read, place, atomic write) vs spawning git apply on the same file.
// The main corpus's correct patches, so the ratio compares with earlier runs.
const correct = mainCorpus.filter((c) => c.kind === 'correct');
const speedDir = path.join(scratch, 'speed');
mkdirSync(speedDir, { recursive: true });
const prepare = (c: Case) => {
  const [file, text] = Object.entries(c.before)[0]!;
  const abs = path.join(speedDir, file);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, text);
  return { abs, text };
};
// The tool itself, as a worker calls it: confinement by descriptor, planning and the atomic write.
const toolContext = { grant: GrantSchema.parse({ tools: ['apply_diff'], write: ['**'] }), root: realpathSync(speedDir), signal: new AbortController().signal, log: () => undefined };
let ours = 0;
let theirs = 0;
const ROUNDS = 5;
for (let round = 0; round < ROUNDS; round++) {
  for (const c of correct) {
    prepare(c);
    let t = performance.now();
    await applyDiffTool.run({ patch: c.patch }, toolContext).catch(() => undefined);
    ours += performance.now() - t;
    prepare(c);
    writeFileSync(path.join(scratch, 'p.patch'), c.patch);
    t = performance.now();
    spawnSync('git', ['apply', path.join(scratch, 'p.patch')], { cwd: speedDir, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch, GIT_CEILING_DIRECTORIES: scratch } });
    theirs += performance.now() - t;
  }
}
const per = (ms: number) => ms / (ROUNDS * correct.length);
const ratio = ours / theirs;
console.log(`\nspeed on ${correct.length} correct patches, file read and written: baton ${per(ours).toFixed(3)} ms/patch (in process) vs git apply ${per(theirs).toFixed(3)} ms/patch (spawned) -> ratio ${ratio.toFixed(3)}x`);
console.log(`total bench time ${((performance.now() - started) / 1000).toFixed(1)} s`);
rmSync(scratch, { recursive: true, force: true });

const figures = {
  corpus: { patches: corpus.length, uniqueAnswer: uniqueCases, parts: Object.fromEntries(PARTS.map((p) => [p, corpus.filter((c) => partOf(c) === p).length])), kinds: Object.fromEntries(kinds.map((k) => [k, corpus.filter((c) => c.kind === k).length])) },
  appliers: summaries,
  byKind,
  batonByDialect: byDialect,
  speed: { patches: correct.length, batonMsPerPatch: per(ours), gitApplyMsPerPatch: per(theirs), ratio },
};
mkdirSync(path.join(repoRoot, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(repoRoot, 'bench', 'results', 'apply-diff.json'), `${JSON.stringify(figures, null, 2)}\n`);

if (wrongExamples.length > 0) {
  console.error(`baton apply_diff gave ${wrongExamples.length} wrong result(s) (misplaced, or indented otherwise than intended): ${wrongExamples.slice(0, 10).join(', ')}`);
  process.exitCode = 1;
}

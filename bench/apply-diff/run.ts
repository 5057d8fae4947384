// apply_diff against git apply, git apply --recount, GNU patch --fuzz=2 and jsdiff on one
// corpus of imperfect patches made from real edits: how often each puts the files right,
// refuses, or — worst — "succeeds" with the edit in the wrong place. Plus speed on correct
// patches, ours vs git apply, in the same run. Figures go to bench/results/apply-diff.json.
//   node bench/apply-diff/run.ts        (BENCH_APPLY_FILES=60 source files by default)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyDiffTool, GrantSchema } from '@baton/mcp-tools';
import { appliers, batonApply, type Applied } from './appliers.ts';
import { buildCorpus, sourceFiles, type Case } from './corpus.ts';
import { HEADER_ONLY_KINDS, render } from './dialects.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = Number(process.env.BENCH_APPLY_FILES ?? 60);
const pkg = (name: string, ...sub: string[]) => path.join(repoRoot, 'node_modules', '.pnpm', name, 'node_modules', name.split('@')[0]!, ...sub);
// Fixed versions of real libraries, so the corpus is the same on every run and every machine.
const roots = [pkg('diff@9.0.0', 'libesm'), pkg('zod@4.6.7', 'v4', 'core'), pkg('yaml@2.9.1', 'dist'), pkg('commander@15.1.0', 'lib')];
const corpus = buildCorpus(sourceFiles(roots, FILES), repoRoot);
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

const started = performance.now();
const results = new Map<string, Map<string, Tally>>();
const wrongExamples: string[] = [];
for (const applier of appliers(scratch)) {
  const byKind = new Map<string, Tally>(kinds.map((k) => [k, zero()]));
  for (const c of corpus) {
    const verdict = judge(c, await applier.apply(c.before, c.patch, pathsOf(c)));
    byKind.get(c.kind)![verdict]++;
    if (verdict === 'wrong' && applier.name.startsWith('baton')) wrongExamples.push(c.id);
  }
  results.set(applier.name, byKind);
}

const sum = (tallies: Iterable<Tally>) => [...tallies].reduce((a, b) => ({ correct: a.correct + b.correct, refused: a.refused + b.refused, wrong: a.wrong + b.wrong }), zero());
const uniqueCases = corpus.filter((c) => c.expected !== undefined).length;
console.log(`apply_diff corpus: ${corpus.length} patches from ${new Set(corpus.map((c) => Object.keys(c.before)[0])).size} real source files, ${kinds.length} kinds; ${uniqueCases} have one right answer`);
console.log(`\n${'applier'.padEnd(28)} ${'correct'.padStart(8)} ${'refused'.padStart(8)} ${'WRONG'.padStart(8)} ${'correct % (unique)'.padStart(19)}`);
const summary: Record<string, Tally & { correctPctOfUnique: number }> = {};
for (const [name, byKind] of results) {
  const t = sum(byKind.values());
  const pct = (100 * t.correct) / uniqueCases;
  summary[name] = { ...t, correctPctOfUnique: Number(pct.toFixed(1)) };
  console.log(`${name.padEnd(28)} ${String(t.correct).padStart(8)} ${String(t.refused).padStart(8)} ${String(t.wrong).padStart(8)} ${pct.toFixed(1).padStart(18)}%`);
}
console.log(`\nby kind (correct/refused/WRONG):`);
console.log(`${'kind'.padEnd(36)} ${[...results.keys()].map((n) => n.slice(0, 18).padStart(19)).join('')}`);
for (const kind of kinds) {
  const n = corpus.filter((c) => c.kind === kind).length;
  const cells = [...results.values()].map((byKind) => {
    const t = byKind.get(kind)!;
    return `${t.correct}/${t.refused}/${t.wrong}`.padStart(19);
  });
  console.log(`${`${kind} (${n})`.padEnd(36)} ${cells.join('')}`);
}

// The same edits and mistakes in the other two dialects (baton only: the other appliers read
// unified diffs). Mistakes that exist only in unified-diff headers are skipped there.
console.log(`\nbaton apply_diff by dialect (same edits, same mistakes):`);
const byDialect: Record<string, Tally & { uniqueTotal: number; correctPctOfUnique: number }> = {};
for (const dialect of ['unified', 'search_replace', 'v4a'] as const) {
  const tally = zero();
  let uniqueTotal = 0;
  for (const c of corpus.filter((k) => !HEADER_ONLY_KINDS.has(k.kind))) {
    const patch = render(c.patch, dialect);
    if (patch === undefined) continue;
    const verdict = judge(c, await batonApply(c.before, patch, pathsOf(c)));
    tally[verdict]++;
    if (c.expected !== undefined) uniqueTotal++;
    if (verdict === 'wrong') wrongExamples.push(`${c.id} (${dialect})`);
  }
  const pct = (100 * tally.correct) / uniqueTotal;
  byDialect[dialect] = { ...tally, uniqueTotal, correctPctOfUnique: Number(pct.toFixed(1)) };
  console.log(`  ${dialect.padEnd(15)} correct ${tally.correct}, refused ${tally.refused}, WRONG ${tally.wrong}; ${pct.toFixed(1)}% correct of ${uniqueTotal} with one right answer`);
}

// Speed on correct patches, each applier reading and writing the file on disk: ours in
// process (read, place, atomic write) vs spawning git apply on the same file.
const correct = corpus.filter((c) => c.kind === 'correct');
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
  corpus: { patches: corpus.length, uniqueAnswer: uniqueCases, kinds: Object.fromEntries(kinds.map((k) => [k, corpus.filter((c) => c.kind === k).length])) },
  appliers: summary,
  byKind: Object.fromEntries([...results].map(([name, byKind]) => [name, Object.fromEntries(byKind)])),
  batonByDialect: byDialect,
  speed: { patches: correct.length, batonMsPerPatch: per(ours), gitApplyMsPerPatch: per(theirs), ratio },
};
mkdirSync(path.join(repoRoot, 'bench', 'results'), { recursive: true });
writeFileSync(path.join(repoRoot, 'bench', 'results', 'apply-diff.json'), `${JSON.stringify(figures, null, 2)}\n`);

if (wrongExamples.length > 0) {
  console.error(`baton apply_diff put ${wrongExamples.length} edit(s) in the wrong place: ${wrongExamples.slice(0, 10).join(', ')}`);
  process.exitCode = 1;
}

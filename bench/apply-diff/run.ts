// apply_diff against git apply, git apply --recount, GNU patch --fuzz=2 and jsdiff on one
// corpus of imperfect patches made from real edits: how often each puts the file right,
// refuses, or — worst — "succeeds" with the edit in the wrong place. Plus speed on correct
// patches, ours vs git apply, in the same run.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { planPatch, writeChanges } from '@baton/mcp-tools';
import { appliers, batonApply } from './appliers.ts';
import { HEADER_ONLY_KINDS, render } from './dialects.ts';
import { buildCorpus, sourceFiles } from './corpus.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FILES = Number(process.env.BENCH_APPLY_FILES ?? 60);
const pkg = (name: string, ...sub: string[]) => path.join(repoRoot, 'node_modules', '.pnpm', name, 'node_modules', name.split('@')[0]!, ...sub);
// Fixed versions of real libraries, so the corpus is the same on every run and every machine.
const roots = [pkg('diff@9.0.0', 'libesm'), pkg('zod@4.6.7', 'v4', 'core'), pkg('yaml@2.9.1', 'dist'), pkg('commander@15.1.0', 'lib')];
const corpus = buildCorpus(sourceFiles(roots, FILES), repoRoot);
const scratch = mkdtempSync(path.join(tmpdir(), 'baton-bench-apply-'));
const kinds = [...new Set(corpus.map((c) => c.kind))];

type Tally = { correct: number; refused: number; wrong: number };
const results = new Map<string, Map<string, Tally>>();
for (const applier of appliers(scratch)) {
  const byKind = new Map<string, Tally>(kinds.map((k) => [k, { correct: 0, refused: 0, wrong: 0 }]));
  for (const c of corpus) {
    const out = await applier.apply(c.file, c.original, c.patch);
    const tally = byKind.get(c.kind)!;
    if (!out.ok) tally.refused++;
    else if (out.text === c.expected) tally.correct++;
    else tally.wrong++;
  }
  results.set(applier.name, byKind);
}

const total = (t: Map<string, Tally>) => [...t.values()].reduce((a, b) => ({ correct: a.correct + b.correct, refused: a.refused + b.refused, wrong: a.wrong + b.wrong }), { correct: 0, refused: 0, wrong: 0 });
console.log(`apply_diff corpus: ${corpus.length} patches from ${new Set(corpus.map((c) => c.file)).size} real source files, ${kinds.length} kinds of imperfection`);
console.log(`\n${'applier'.padEnd(28)} ${'correct'.padStart(8)} ${'refused'.padStart(8)} ${'WRONG'.padStart(8)}`);
for (const [name, byKind] of results) {
  const t = total(byKind);
  console.log(`${name.padEnd(28)} ${String(t.correct).padStart(8)} ${String(t.refused).padStart(8)} ${String(t.wrong).padStart(8)}`);
}
console.log(`\nby kind (correct/refused/WRONG):`);
console.log(`${'kind'.padEnd(22)} ${[...results.keys()].map((n) => n.slice(0, 18).padStart(19)).join('')}`);
for (const kind of kinds) {
  const n = corpus.filter((c) => c.kind === kind).length;
  const cells = [...results.values()].map((byKind) => {
    const t = byKind.get(kind)!;
    return `${t.correct}/${t.refused}/${t.wrong}`.padStart(19);
  });
  console.log(`${`${kind} (${n})`.padEnd(22)} ${cells.join('')}`);
}

// The same edits and mistakes in the other two dialects (baton only: the other appliers read
// unified diffs). Header-only mistakes (line numbers, counts) do not exist there and are skipped.
console.log(`\nbaton apply_diff by dialect (same edits, same mistakes):`);
for (const dialect of ['unified', 'search_replace', 'v4a'] as const) {
  const tally = { correct: 0, refused: 0, wrong: 0, uniqueTotal: 0, uniqueCorrect: 0 };
  for (const c of corpus.filter((k) => !HEADER_ONLY_KINDS.has(k.kind))) {
    const out = await batonApply(c.file, c.original, render(c.patch, dialect));
    const ok = out.ok && out.text === c.expected;
    if (!out.ok) tally.refused++;
    else if (ok) tally.correct++;
    else tally.wrong++;
    if (c.kind !== 'ambiguous_context') {
      tally.uniqueTotal++;
      if (ok) tally.uniqueCorrect++;
    }
  }
  const pct = ((100 * tally.uniqueCorrect) / tally.uniqueTotal).toFixed(1);
  console.log(`  ${dialect.padEnd(15)} correct ${tally.correct}, refused ${tally.refused}, WRONG ${tally.wrong}; ${pct}% correct where one right answer exists`);
  if (tally.wrong > 0) process.exitCode = 1;
}

// Speed on correct patches, each applier reading and writing the file on disk: ours in
// process (read, place, atomic write) vs spawning git apply in an initialised repository.
const correct = corpus.filter((c) => c.kind === 'correct');
const speedDir = path.join(scratch, 'speed');
mkdirSync(speedDir, { recursive: true });
spawnSync('git', ['init', '-q'], { cwd: speedDir });
const prepare = (c: (typeof correct)[number]) => {
  const abs = path.join(speedDir, c.file);
  mkdirSync(path.dirname(abs), { recursive: true });
  writeFileSync(abs, c.original);
  return abs;
};
let ours = 0;
let theirs = 0;
for (let round = 0; round < 5; round++) {
  for (const c of correct) {
    const abs = prepare(c);
    let t = performance.now();
    const plan = await planPatch(c.patch, async () => readFileSync(abs, 'utf8'));
    if (plan.ok && plan.changes[0]?.action === 'modify') writeChanges([{ abs, action: 'modify', before: c.original, after: plan.changes[0].after }]);
    ours += performance.now() - t;
    prepare(c);
    writeFileSync(path.join(scratch, 'p.patch'), c.patch);
    t = performance.now();
    spawnSync('git', ['apply', path.join(scratch, 'p.patch')], { cwd: speedDir });
    theirs += performance.now() - t;
  }
}
const per = (ms: number) => ms / (5 * correct.length);
console.log(`\nspeed on ${correct.length} correct patches, file read and written: baton ${per(ours).toFixed(3)} ms/patch (in process) vs git apply ${per(theirs).toFixed(3)} ms/patch (spawned) -> ratio ${(ours / theirs).toFixed(3)}x`);
rmSync(scratch, { recursive: true, force: true });
const wrong = total(results.get('baton apply_diff')!).wrong;
if (wrong > 0) {
  console.error(`baton apply_diff put ${wrong} edit(s) in the wrong place`);
  process.exitCode = 1;
}

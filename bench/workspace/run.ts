// A task workspace on a 20k-file repository, side by side in one run: a fresh `git worktree add`
// per task (baton's checkout without warm worktrees) against a warm worktree taken again (after
// the first), both through baton's own workspace module. Each round the "run branch" moves by a
// few files, as it does when tasks merge. Reports the time until the workspace is ready, the
// time to give it back, and what a task costs on disk: a fresh checkout writes every file, a
// warm one only those that differ (counted by inode).
// BENCH_WORKSPACE_FILES (20000), BENCH_WORKSPACE_ROUNDS (3), BENCH_WORKSPACE_CHANGED (10 files per round).
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { addRunWorktree, removeRunWorktree, removeRunWorktrees, removeWarmSlots, type WarmPolicy } from '@baton/orchestrator';
import { ensureLargeTree } from '../lib/large-tree.ts';
import { formatMs, median } from '../lib/stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILES = Number(process.env.BENCH_WORKSPACE_FILES ?? 20_000);
const ROUNDS = Number(process.env.BENCH_WORKSPACE_ROUNDS ?? 3);
const CHANGED = Number(process.env.BENCH_WORKSPACE_CHANGED ?? 10);
const repo = await ensureLargeTree({ dir: path.join(here, '..', '.data', `ws-repo-${FILES}`), files: FILES });
// No auto-gc: a background gc repacking objects mid-measurement would time something else.
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: repo, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'gc.auto', GIT_CONFIG_VALUE_0: '0', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };
const sh = (args: string[], cwd = repo) => {
  const r = spawnSync('git', args, { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
};
if (!existsSync(path.join(repo, '.git'))) {
  sh(['init', '-q', '-b', 'main']);
  sh(['add', '-A']);
  sh(['commit', '-q', '-m', 'large tree']);
}
// Leftovers of an interrupted earlier run of this benchmark.
await removeRunWorktrees({ repo, runId: 'bench' });
await removeWarmSlots({ commonDir: path.join(repo, '.git') });
sh(['worktree', 'prune']);

/** A commit on top of `parent` that changes CHANGED files (what a merged task does to the run branch). */
function moveBranch(round: number, parent: string): string {
  const index = path.join(here, '..', '.data', 'ws-bench-index');
  const idx = { ...env, GIT_INDEX_FILE: index };
  const run = (args: string[], input?: string) => {
    const r = spawnSync('git', args, { cwd: repo, env: idx, encoding: 'utf8', input, maxBuffer: 1 << 28 });
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
    return r.stdout.trim();
  };
  run(['read-tree', parent]);
  for (let i = 0; i < CHANGED; i++) {
    const file = `pkg${(round * 7 + i) % 50}/mod${i % 40}/file${(round * 131 + i * 50) % FILES}.ts`;
    const blob = run(['hash-object', '-w', '--stdin'], `// round ${round}, change ${i}\nexport const value = ${round * 1000 + i};\n`);
    run(['update-index', '--add', '--cacheinfo', `100644,${blob},${file}`]);
  }
  const tree = run(['write-tree']);
  return run(['commit-tree', tree, '-p', parent, '-m', `round ${round}`]);
}

function inodes(dir: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    out.set(path.relative(dir, file), lstatSync(file).ino);
  }
  return out;
}

const fresh: WarmPolicy = { use: false, keep: 0 };
const warm: WarmPolicy = { use: true, keep: 2 };
const timed = async <T>(work: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const value = await work();
  return [value, performance.now() - started];
};
const task = (round: number, commit: string, policy: WarmPolicy) =>
  addRunWorktree({ repo, runId: 'bench', leaf: `t${round}-1`, start: { kind: 'reset-branch', branch: `baton-tasks/bench/t${round}`, commit }, warm: policy });

let tip = sh(['rev-parse', 'HEAD']);
// The first warm workspace is a full checkout, like a fresh one: measured, but not a round.
const [firstDir, firstMs] = await timed(() => task(0, tip, warm));
await removeRunWorktree({ repo, dir: firstDir });

const results = { freshReady: [] as number[], freshGone: [] as number[], warmReady: [] as number[], warmGone: [] as number[], rewritten: [] as number[] };
for (let round = 1; round <= ROUNDS; round++) {
  tip = moveBranch(round, tip);
  const order = round % 2 === 0 ? ['warm', 'fresh'] : ['fresh', 'warm'];
  for (const kind of order) {
    if (kind === 'fresh') {
      const [dir, ready] = await timed(() => task(round, tip, fresh));
      const [, gone] = await timed(() => removeRunWorktree({ repo, dir }));
      results.freshReady.push(ready);
      results.freshGone.push(gone);
    } else {
      const before = inodes(firstDir);
      const [dir, ready] = await timed(() => task(round, tip, warm));
      const after = inodes(dir);
      results.rewritten.push([...after].filter(([file, ino]) => before.get(file) !== ino).length);
      const [, gone] = await timed(() => removeRunWorktree({ repo, dir }));
      results.warmReady.push(ready);
      results.warmGone.push(gone);
    }
  }
}
const du = (dir: string) => Number(spawnSync('du', ['-sk', dir], { encoding: 'utf8' }).stdout.split('\t')[0]) * 1024;
const slotBytes = du(firstDir);
writeFileSync(path.join(here, '..', '.data', 'ws-bench-last.json'), JSON.stringify(results));

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
console.log(`task workspace on a ${FILES}-file repository, the run branch moving ${CHANGED} files a round (median of ${ROUNDS} rounds, interleaved):`);
console.log(`  fresh git worktree add (warm: false):   ready ${formatMs(median(results.freshReady))}, removed ${formatMs(median(results.freshGone))}`);
console.log(`  warm worktree taken again:              ready ${formatMs(median(results.warmReady))}, given back clean ${formatMs(median(results.warmGone))}`);
console.log(`  first warm worktree (a full checkout):  ready ${formatMs(firstMs)}`);
console.log(`  ratio fresh / warm, until ready:        ${(median(results.freshReady) / median(results.warmReady)).toFixed(1)}x`);
console.log(`  ratio fresh / warm, ready + given back: ${((median(results.freshReady) + median(results.freshGone)) / (median(results.warmReady) + median(results.warmGone))).toFixed(1)}x`);
console.log(`  files written per task: fresh ${FILES}, warm ${median(results.rewritten)} (median); disk: a fresh checkout ${mb(slotBytes)} per task at a time, the warm slot ${mb(slotBytes)} once, kept`);

await removeWarmSlots({ commonDir: path.join(repo, '.git') });
sh(['for-each-ref', '--format=delete %(refname)', 'refs/heads/baton-tasks/bench/']).split('\n').filter(Boolean).forEach((line) => sh(['update-ref', '-d', line.slice('delete '.length)]));
await rm(path.join(here, '..', '.data', 'ws-bench-index'), { force: true });

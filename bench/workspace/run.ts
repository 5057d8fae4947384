// Creating a task workspace on a 20k-file repository: `git worktree add` (what baton uses)
// against materialising the same commit with isomorphic-git (walk the tree, write every blob),
// interleaved in one run. The figure behind baton's choice of worktrees.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as fs from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import git from 'isomorphic-git';
import { ensureLargeTree } from '../lib/large-tree.ts';
import { formatMs, median } from '../lib/stats.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const FILES = Number(process.env.BENCH_WORKSPACE_FILES ?? 20_000);
const ROUNDS = Number(process.env.BENCH_WORKSPACE_ROUNDS ?? 3);
const repo = await ensureLargeTree({ dir: path.join(here, '..', '.data', `ws-repo-${FILES}`), files: FILES });
const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: repo, GIT_CONFIG_NOSYSTEM: '1', GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@b', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@b' };
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
const head = sh(['rev-parse', 'HEAD']);
const scratch = path.join(here, '..', '.data', 'ws-scratch');
await rm(scratch, { recursive: true, force: true });
await mkdir(scratch, { recursive: true });

async function worktree(i: number): Promise<number> {
  const dir = path.join(scratch, `wt-${i}`);
  const t = performance.now();
  sh(['worktree', 'add', '--detach', '--quiet', dir, head]);
  const ms = performance.now() - t;
  sh(['worktree', 'remove', '--force', dir]);
  return ms;
}

async function isomorphic(i: number): Promise<number> {
  const dir = path.join(scratch, `iso-${i}`);
  const t = performance.now();
  await mkdir(dir, { recursive: true });
  await git.walk({
    fs,
    dir: repo,
    trees: [git.TREE({ ref: head })],
    map: async (filepath, [entry]) => {
      if (!entry || filepath === '.') return true;
      const type = await entry.type();
      const target = path.join(dir, filepath);
      // Synchronous writes: the walk runs many entries at once and would otherwise exhaust file handles.
      if (type === 'tree') fs.mkdirSync(target, { recursive: true });
      else if (type === 'blob') fs.writeFileSync(target, (await entry.content())!);
      return true;
    },
  });
  const ms = performance.now() - t;
  await rm(dir, { recursive: true, force: true });
  return ms;
}

const a: number[] = [];
const b: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  a.push(await worktree(i));
  b.push(await isomorphic(i));
}
console.log(`task workspace on a ${FILES}-file repository (median of ${ROUNDS}):`);
console.log(`  git worktree add:             ${formatMs(median(a))}`);
console.log(`  isomorphic-git walk + write:  ${formatMs(median(b))}`);
console.log(`  ratio worktree / isomorphic-git: ${(median(a) / median(b)).toFixed(3)}x (baton uses git worktree)`);
await rm(scratch, { recursive: true, force: true });

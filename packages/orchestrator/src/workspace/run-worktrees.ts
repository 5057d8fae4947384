// The one place baton makes and removes checkouts: git worktrees under
// `<git common dir>/baton/worktrees/<run>/<leaf>`, or warm worktrees kept between tasks and runs
// (warm-slots.ts) when the caller's policy asks for them. Every change goes through the worktree
// queue. Before `git worktree add` the target is written to an intent file, so the entry a
// process killed mid-add leaves behind (locked "initializing", perhaps without a `gitdir` yet)
// is recognised as baton's and removed; entries that are not baton's are never touched.
import { mkdirSync, readFileSync, realpathSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { git } from '../git/run-git.ts';
import { gitCommonDir, runWorktreesDir } from './baton-paths.ts';
import { acquireWarmSlot, isWarmSlotDir, releaseRunSlots, releaseWarmSlot, repairWarmSlots, warmWanted, type WarmPolicy } from './warm-slots.ts';
import { removeWorktreeFiles } from './worktree-admin.ts';
import { serializeWorktreeOps } from './worktree-queue.ts';
import type { WorktreeStart } from './worktree-start.ts';

export type { WorktreeStart } from './worktree-start.ts';

const INTENT_FILE = '.adding';

export type { WarmPolicy } from './warm-slots.ts';

/** A checkout for a run at `start`: a warm slot when `warm` asks for one, else a new worktree under the run's directory. */
export async function addRunWorktree(input: { repo: string; runId: string; leaf: string; start: WorktreeStart; warm?: WarmPolicy | undefined }): Promise<string> {
  const commonDir = await gitCommonDir(input.repo);
  if (input.warm && warmWanted(commonDir, input.warm)) {
    return acquireWarmSlot({ repo: input.repo, commonDir: realpathSync(commonDir), runId: input.runId, leaf: input.leaf, start: input.start, keep: input.warm.keep });
  }
  const runDir = runWorktreesDir(commonDir, input.runId);
  const dir = path.join(runDir, input.leaf);
  return serializeWorktreeOps(commonDir, async () => {
    removeWorktreeFiles(commonDir, [dir]);
    mkdirSync(runDir, { recursive: true });
    writeFileSync(path.join(runDir, INTENT_FILE), dir);
    const start = input.start;
    const args =
      start.kind === 'branch'
        ? [dir, start.branch]
        : start.kind === 'reset-branch'
          ? ['-B', start.branch, dir, start.commit]
          : ['--detach', dir, start.commit];
    try {
      await git(['worktree', 'add', '--force', '--quiet', ...args], { cwd: input.repo });
    } catch (error) {
      removeWorktreeFiles(commonDir, [dir]);
      throw error;
    } finally {
      rmSync(path.join(runDir, INTENT_FILE), { force: true });
    }
    return dir;
  });
}

/** Removes one of baton's checkouts, or gives a warm one back clean (a no-op when it is already gone). */
export async function removeRunWorktree(input: { repo: string; dir: string }): Promise<void> {
  const commonDir = await gitCommonDir(input.repo);
  if (isWarmSlotDir(realpathSync(commonDir), input.dir)) return releaseWarmSlot(input.dir);
  await serializeWorktreeOps(commonDir, async () => {
    await git(['worktree', 'remove', '--force', '--force', input.dir], { cwd: input.repo, allowFailure: true });
    removeWorktreeFiles(commonDir, [input.dir]);
  });
}

/**
 * Removes every checkout of a run, whole or half-made, and git's entries for them; gives back
 * the warm slots this process holds for it, and cleans warm slots a killed process left dirty.
 * Only for a run no live process is driving (the caller holds its lock). Returns what it
 * removed or cleaned.
 */
export async function removeRunWorktrees(input: { repo: string; runId: string }): Promise<string[]> {
  const commonDir = await gitCommonDir(input.repo);
  const runDir = runWorktreesDir(commonDir, input.runId);
  const released = await releaseRunSlots(input.runId);
  const repaired = await repairWarmSlots({ repo: input.repo, commonDir: realpathSync(commonDir) });
  const removed = await serializeWorktreeOps(commonDir, async () => {
    let intended: string | undefined;
    try {
      intended = readFileSync(path.join(runDir, INTENT_FILE), 'utf8').trim();
    } catch {
      intended = undefined;
    }
    const removed = removeWorktreeFiles(commonDir, [runDir], intended);
    rmSync(runDir, { recursive: true, force: true });
    for (const dir of [path.join(commonDir, 'baton', 'worktrees'), path.join(commonDir, 'worktrees')]) removeIfEmpty(dir);
    return removed;
  });
  return [...removed, ...released, ...repaired];
}

function removeIfEmpty(dir: string): void {
  try {
    rmdirSync(dir);
  } catch {
    // Not empty, or already gone.
  }
}
